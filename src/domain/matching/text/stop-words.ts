import { foldKey } from './fold';
import { naturalStopWords } from './natural';
import type { AnalysisLanguage } from './languages';

// natural ships no German, Lithuanian or Danish list; these cover the function words.
const GERMAN = `aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis bist
  bzw da damit dann das dass dem den denn der des dessen dich die dir doch dort du durch ein eine einem einen
  einer eines er es etwa etwas euch euer für gegen habe haben hat hatte hier ich ihm ihn ihnen ihr ihre ihrem
  ihren ihrer im in indem ins ist jede jedem jeden jeder jedes jetzt kann kein keine können man mehr mein meine
  mit muss nach nicht nichts noch nun nur ob oder ohne sehr sein seine seit sich sie sind so soll sollte sondern
  sowie über um und uns unser unsere unserem unseren unserer unter viel vom von vor während war waren was weil
  welche wenn wer werden wie wieder will wir wird wo wollen würde zu zum zur zwar zwischen`;

const LITHUANIAN = `aš apie ar arba be bei bet bus buvo būti dar dėl iki ir iš į jau jei jeigu ji jie jis jo jos
  jų jums jūs jūsų kad kai kaip kas kiekvienas kitas kiti kol kur kuri kurie kuris kurios labai mes mums mus mūsų
  ne nes net nėra nuo o pagal pat per po prie savo su ši šis ta tai tarp tas taip tik tu už yra`;

const DANISH = `ad af alle alt anden at blev blive bliver da de dem den denne deres det dette dig din disse dog du
  efter eller en end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvis hvor i ikke ind
  jeg jer jo kunne man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over på
  selv sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville vor være været`;

const POLISH_EXTRA = `oraz się jest są będzie który która które których którym także również przez dla nas nam nasz
  nasza nasze naszej naszych`;

// Words that frame a request rather than describe the expertise wanted.
const REQUEST_PHRASING: Readonly<Record<AnalysisLanguage, string>> = {
  en: 'need needs needed looking seek seeking want wants help please someone person able',
  pl: 'potrzebujemy szukamy chcemy chcielibyśmy zależy pomoc kogoś osoby osoba',
  de: 'suchen gesucht brauchen benötigen möchten bitte jemand jemanden',
  lt: 'ieškome norime reikia reikės padėtų galėtų žmogaus žmogų',
  sv: 'söker behöver vill hjälp gärna någon person',
  da: 'søger brug ønsker hjælp gerne nogen person',
};

function foldedSet(...lists: Array<readonly string[] | string>): ReadonlySet<string> {
  const words = lists.flatMap((list) => (typeof list === 'string' ? list.split(/\s+/) : list));
  return new Set(words.map(foldKey).filter((word) => word.length > 0));
}

export const STOP_WORDS: Readonly<Record<AnalysisLanguage, ReadonlySet<string>>> = {
  en: foldedSet(naturalStopWords.en, REQUEST_PHRASING.en),
  pl: foldedSet(naturalStopWords.pl, POLISH_EXTRA, REQUEST_PHRASING.pl),
  de: foldedSet(GERMAN, REQUEST_PHRASING.de),
  lt: foldedSet(LITHUANIAN, REQUEST_PHRASING.lt),
  sv: foldedSet(naturalStopWords.sv, REQUEST_PHRASING.sv),
  da: foldedSet(naturalStopWords.da, DANISH, REQUEST_PHRASING.da),
};

export function isStopWord(language: AnalysisLanguage, foldedToken: string): boolean {
  return STOP_WORDS[language].has(foldedToken);
}
