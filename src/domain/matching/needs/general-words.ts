import { foldKey } from '../text/fold';
import type { AnalysisLanguage } from '../text/languages';
import { stemToken } from '../text/text-analysis';

// Everyday words that occur in the description of almost any problem (people, nobody, longer, small, make):
// not function words, so text relevance keeps them, but two of them together say nothing about which
// discipline a text needs. The lexicon's own idf cannot see this: "nobody" is rare among need phrases
// and common in requests, so a phrase matched on "nobody notices" alone would look specific.
const GENERAL: Readonly<Record<AnalysisLanguage, string>> = {
  en: `people person persons everyone everybody nobody anyone someone something nothing everything thing things
    way ways time times year years day days week weeks month months lot lots part kind sort
    make makes made get gets got go goes going went come comes came know knows knew say says said tell
    see sees saw look looks use uses used take takes took give gives gave put find finds found think thinks
    keep keeps let try tries work works worked can cannot could would should must may might
    no never always still longer already again ever even just only also almost really quite
    more most less least much many few little lot several enough too very
    small big large new old long short good bad better best different same other others whole real simple
    first second last next every each own one two three`,
  pl: `ludzie ludzi ludziom osoby osób ktoś nikt wszyscy każdy coś nic wszystko rzecz rzeczy
    sposób czas roku rok lat lata dzień dni tydzień miesiąc miesiące część
    robić zrobić robimy robią mieć mamy mają być iść przychodzi przychodzą wiedzieć wiemy wiedzą
    mówić mówią powiedzieć widzieć widzą używać korzystać brać dać dawać znaleźć znaleźć myśleć
    można trzeba musimy może mogą nie nigdy zawsze ciągle wciąż już jeszcze znowu tylko prawie
    bardziej więcej mniej dużo wiele kilka mało trochę za zbyt bardzo
    mały mała małe duży duża duże nowy nowa nowe stary stara stare długo długi krótki dobry dobrze zły źle
    inny inna inne inaczej taki taka takie cały cała całe pierwszy drugi ostatni każda własny jeden dwa trzy`,
  de: `Leute Menschen Person Personen jemand niemand alle jeder etwas nichts alles Ding Dinge
    Weg Art Zeit Jahr Jahre Tag Tage Woche Monat Monate Teil
    machen macht gemacht bekommen kommen kommt gehen geht wissen weiß sagen sagt sehen sieht
    nutzen benutzen nehmen geben gibt finden findet denken lassen versuchen arbeiten
    können kann könnte müssen muss dürfen immer nie niemals noch schon wieder mal nur fast ganz wirklich
    mehr weniger viele wenige wenig genug zu sehr
    klein kleine kleinen groß große großen neu neue neuen alt alte alten lang lange kurz gut gute schlecht
    anders andere gleich gleiche ganze einfach erste zweite letzte eigene eins zwei drei dieselben`,
  lt: `žmonės žmonių žmonėms asmuo asmenys kažkas niekas visi kiekvienas kažką nieko viskas daiktas daiktai
    būdas laikas laiko metai metų diena dienos savaitė mėnuo mėnesiai dalis
    daryti darome padaryti turėti turime eiti ateina ateiti žinoti žinome sakyti sako matyti mato
    naudoti imti duoti rasti randa galvoti galima reikia turi gali negali niekada visada vis dar jau vėl
    tik beveik daugiau mažiau daug keli mažai per labai
    mažas maža mažos didelis didelė didelės naujas nauja naujos senas sena senos ilgas ilga trumpas geras gera blogas
    kitas kita kitaip toks tokia visas visa pirmas antras paskutinis savas vienas du trys`,
  sv: `folk människor person personer någon ingen alla varje något inget ingenting allt sak saker
    sätt tid år dag dagar vecka månad månader del
    göra gör gjort få får fick gå går kommer komma veta vet säga säger se ser använda ta ge hitta tänka
    kan kunde måste får aldrig alltid fortfarande redan igen bara nästan verkligen
    mer mest mindre mycket många få lite för väldigt
    liten litet små stor stort stora ny nytt nya gammal gammalt gamla lång långt kort bra dålig dåligt
    annan annat andra samma hela enkel första andra sista egen egna ett två tre`,
  da: `folk mennesker person personer nogen ingen alle hver noget intet alt ting
    måde tid år dag dage uge måned måneder del
    gøre gør gjort få får fik gå går kommer komme vide ved sige siger se ser bruge tage give finde tænke
    kan kunne skal aldrig altid stadig allerede igen kun næsten virkelig
    mere mest mindre meget mange få lidt for
    lille små stor store ny nye gammel gamle lang lange kort god godt dårlig anden andet andre samme hele enkel
    første anden sidste egen egne en to tre`,
};

// Names of languages: nearly every request says which languages it works in ("in Danish, English or German"),
// so a phrase such as "tours in German and English" would match the request's logistics, not its need.
const LANGUAGE_NAMES: Readonly<Record<AnalysisLanguage, string>> = {
  en: 'english german polish lithuanian swedish danish',
  pl: `angielski angielskim angielsku niemiecki niemieckim niemiecku polski polskim polsku litewski litewskim litewsku
    szwedzki szwedzkim szwedzku duński duńskim duńsku`,
  de: 'Englisch Deutsch Polnisch Litauisch Schwedisch Dänisch englischen deutschen polnischen litauischen schwedischen dänischen',
  lt: `anglų vokiečių lenkų lietuvių švedų danų angliškai vokiškai lenkiškai lietuviškai švediškai daniškai
    kalba kalbomis`,
  sv: 'engelska tyska polska litauiska svenska danska',
  da: 'engelsk tysk polsk litauisk svensk dansk',
};

const stems = new Map<AnalysisLanguage, ReadonlySet<string>>();

/** The stems (in `language`) of everyday words too general to point to a discipline on their own. */
export function generalStems(language: AnalysisLanguage): ReadonlySet<string> {
  let set = stems.get(language);
  if (!set) {
    set = new Set(`${GENERAL[language]} ${LANGUAGE_NAMES[language]}`.split(/\s+/).filter((word) => word !== '').map((word) => stemToken(language, foldKey(word))));
    stems.set(language, set);
  }
  return set;
}
