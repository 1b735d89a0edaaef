import { foldKey } from '../text/fold';
import type { AnalysisLanguage } from '../text/languages';
import { stemToken, type AnalysedText } from '../text/text-analysis';

// Words with which a request states its problem or what it wants: needing, wanting, looking for, help,
// difficulty, questions, negation and restriction ("nobody notices", "only the ground floor", "but").
// A sentence with none of them usually sets the scene instead: who the organisation is and what it makes
// ("we print a seagull motif on linen towels"), so a need phrase matched there names the context, not the need.
const CUES: Readonly<Record<AnalysisLanguage, string>> = {
  en: `need needs needed want wants wanted wish like looking seek seeking help helps problem problems issue issues
    difficult hard trouble struggle struggling worried afraid unsure unclear how why whether
    not no never nobody nothing none cannot can't don't doesn't didn't won't isn't aren't hardly barely only but`,
  pl: `potrzebujemy potrzebuje potrzeba chcemy chcielibyśmy chcę szukamy szukam poszukujemy pomoc pomóc pomoże
    problem problemy problemem kłopot trudno trudne trudność jak dlaczego czy
    nie nikt nic nigdy żaden brakuje brak tylko ale niestety`,
  de: `brauchen braucht benötigen suchen gesucht wollen möchten möchte wünschen Hilfe helfen unterstützen
    Problem Probleme schwierig schwer wie warum ob nicht kein keine keiner niemand nichts nie niemals nur aber leider kaum`,
  lt: `reikia reikėtų reikalingas norime norėtume norėtų ieškome ieškau pagalbos padėti padėtų problema problemos
    sunku sunkiai kaip kodėl ar ne nėra niekas nieko niekada nebe tik bet deja trūksta
    nežinome nežino negalime negali nesupranta nesuprantame nemokame neturime neturi`,
  sv: `behöver behövs vill vilja söker letar hjälp hjälpa problem problemet svårt svår hur varför
    inte ingen inget inga ingenting aldrig bara men tyvärr knappt saknar saknas`,
  da: `brug behøver vil gerne søger hjælp hjælpe problem problemet svært hvordan hvorfor
    ikke ingen intet aldrig kun men desværre mangler`,
};

const cues = new Map<AnalysisLanguage, ReadonlySet<string>>();

function cueKeys(language: AnalysisLanguage): ReadonlySet<string> {
  let set = cues.get(language);
  if (!set) {
    const words = CUES[language].split(/\s+/).filter((word) => word !== '').map(foldKey);
    set = new Set([...words, ...words.map((word) => stemToken(language, word))]);
    cues.set(language, set);
  }
  return set;
}

/**
 * The sentences of a text that only set the scene: those without a word stating a need or a problem (see
 * CUES), when other sentences of the same text do have one. Returns an empty set when every sentence or none
 * states a need (a title, a one-line suggestion), so such texts are read as they are. `sentences`: per
 * token, its sentence number (sentenceNumbers); all one sentence when absent. Linear in the number of tokens.
 */
export function sceneSentences(text: AnalysedText, sentences?: Int32Array): ReadonlySet<number> {
  const keys = cueKeys(text.language);
  const all = new Set<number>();
  const stating = new Set<number>();
  text.tokens.forEach((token, position) => {
    const sentence = sentences?.[position] ?? 0;
    all.add(sentence);
    if (keys.has(token.surface) || keys.has(token.stem)) stating.add(sentence);
  });
  if (stating.size === 0 || stating.size === all.size) return new Set();
  return new Set([...all].filter((sentence) => !stating.has(sentence)));
}
