import type { ParsedMail } from 'mailparser';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage } from '../helpers/scenario';
import { useMailedService } from '../helpers/mailed-service';

const mailed = useMailedService({ MAX_INVITATIONS: '2' });

const admin = () => mailed.admin;
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
/** Everything a reader sees of a mail: subject, text and HTML. */
const content = (mail: ParsedMail) => `${mail.subject}\n${mail.text}\n${String(mail.html)}`;

async function invite(auth: ReturnType<typeof bearer>, requestId: string, expertId: string): Promise<string> {
  return (await api(mailed.context.app).post(`/v1/requests/${requestId}/invitations`).set(auth).send({ expertId }).expect(201)).body.id;
}

// First in the file: only these experts exist yet, so the counts below are all of them.
describe('"no expert found" to the contact', () => {
  it('tells a Swedish contact in Swedish which constraints kept the best experts out, most common first, once', async () => {
    for (const n of [1, 2, 3]) {
      await createExpert(mailed.context.app, admin(), { languages: ['sv', 'en'], modes: ['online'], location: { country: 'SE', city: 'Karlskrona', lat: 56.1612, lon: 15.5869 }, email: `online${n}.${stamp()}@example.se` });
    }
    await createExpert(mailed.context.app, admin(), { languages: ['de'], modes: ['onsite'], location: { country: 'DE', city: 'Stralsund', lat: 54.3091, lon: 13.0818 } });
    const requester = await createKey(mailed.context.app, admin(), { role: 'requester' });
    const address = `karin.${stamp()}@museum.example.se`;
    const id = await submitRequest(mailed.context.app, requester, {
      organization: { name: 'Blekinge museum', type: 'cultural', country: 'SE' },
      title: 'Ny <utställning> om skärgården',
      languages: ['sv'],
      location: { country: 'SE', city: 'Karlskrona', lat: 56.1612, lon: 15.5869 },
      mode: 'onsite',
      contact: { name: 'Karin Lund', email: address, language: 'sv' },
    });
    await waitForStage(mailed.context.app, requester, id, 'unmatched');

    const [mail] = await mailed.sink.waitFor(1, (candidate) => to(address)(candidate) && candidate.subject!.startsWith('Ingen expert'));
    expect(mail!.subject).toBe('Ingen expert hittades för ”Ny <utställning> om skärgården”');
    expect(mail!.headers.get('content-language')).toBe('sv');
    const help = mail!.text!.split('\n').filter((line) => line.startsWith('- '));
    expect(help).toEqual([
      '- Arbetar inte på plats: 3 av de 4 bäst passande experterna. Det skulle hjälpa att tillåta konsultationer online.',
      '- Talar inget av förfrågans språk (svenska): 1 av de 4 bäst passande experterna. Det skulle hjälpa att tillåta ett annat språk, till exempel engelska.',
    ]);
    expect(mail!.text).toContain('Hej Karin Lund,');
    expect(mail!.text).not.toContain('tackade inte ja');
    expect(String(mail!.html)).toContain('Ny &lt;utställning&gt; om skärgården');

    // The matching job run again re-emits its event and records the mail under the same key: still one mail.
    await mailed.context.services.consultations.runMatching(id);
    await settle();
    expect(mailed.sink.mails.filter(to(address)).map((received) => received.subject)).toEqual(['Vi har tagit emot din förfrågan ”Ny <utställning> om skärgården”', mail!.subject]);
  });

  it('says how many invited experts did not accept when the invitations run out, and who could still be invited, in Polish', async () => {
    const experts = [await createExpert(mailed.context.app, admin()), await createExpert(mailed.context.app, admin())];
    // A third fitting expert stays uninvited: MAX_INVITATIONS is 2.
    await createExpert(mailed.context.app, admin());
    const requester = await createKey(mailed.context.app, admin(), { role: 'requester' });
    const address = `ola.${stamp()}@muzeum.example.pl`;
    const id = await submitRequest(mailed.context.app, requester, { contact: { name: 'Ola Nowak', email: address, language: 'pl' } });
    await waitForStage(mailed.context.app, requester, id, 'matched');
    for (const expert of experts) {
      const invitationId = await invite(requester, id, expert.id);
      await api(mailed.context.app).post(`/v1/invitations/${invitationId}/decline`).set(expert.auth).send({}).expect(200);
    }
    await waitForStage(mailed.context.app, requester, id, 'unmatched');
    const [mail] = await mailed.sink.waitFor(1, (candidate) => to(address)(candidate) && candidate.subject!.startsWith('Nie znaleźliśmy'));
    expect(mail!.text).toContain('2 zaproszonych ekspertów nie przyjęło zaproszenia.');
    // Not counting the two invited: the four experts of the test above (none speaks Polish, three work online only) and the third.
    expect(mail!.text!.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- Nie mówią w żadnym z języków zapytania (polski): 4 z 5 najlepiej dopasowanych ekspertów. Pomogłoby dopuszczenie innego języka, na przykład angielskiego.',
      '- Nie pracują na miejscu: 3 z 5 najlepiej dopasowanych ekspertów. Pomogłoby dopuszczenie konsultacji online.',
      '- Mogą jeszcze zostać zaproszeni w nowej rundzie: 1 z 5 najlepiej dopasowanych ekspertów.',
    ]);
  });
});

describe('acceptance: the contact learns the expert, the other invitee is told', () => {
  it("mails the Polish contact the accepting expert's name, headline, languages and e-mail, and the withdrawn expert in German", async () => {
    const rutaAddress = `ruta.${stamp()}@studija.example.lt`;
    const ruta = await createExpert(mailed.context.app, admin(), {
      name: 'Rūta Petrauskienė',
      email: rutaAddress,
      headline: 'Garso ir parodų dizainerė',
      languages: ['lt', 'en', 'pl'],
      preferredLanguage: 'lt',
      location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    });
    const jonasAddress = `jonas.${stamp()}@example.de`;
    const jonas = await createExpert(mailed.context.app, admin(), { name: 'Jonas Weber', email: jonasAddress, languages: ['de', 'pl'], preferredLanguage: 'de' });
    const requester = await createKey(mailed.context.app, admin(), { role: 'requester' });
    const contactAddress = `ewa.${stamp()}@muzeum.example.pl`;
    const id = await submitRequest(mailed.context.app, requester, {
      organization: { name: 'Muzeum Zalewu <Wiślanego>', type: 'cultural', country: 'PL' },
      title: 'Trasa zwiedzania',
      contact: { name: 'Ewa Zielińska', email: contactAddress, language: 'pl' },
    });
    await waitForStage(mailed.context.app, requester, id, 'matched');
    const rutaInvitation = await invite(requester, id, ruta.id);
    await invite(requester, id, jonas.id);
    await mailed.sink.waitFor(1, to(rutaAddress));
    await mailed.sink.waitFor(1, to(jonasAddress));
    await mailed.sink.waitFor(1, to(contactAddress));
    const before = mailed.sink.mails.length;

    await api(mailed.context.app).post(`/v1/invitations/${rutaInvitation}/accept`).set(ruta.auth).expect(200);

    const [accepted] = await mailed.sink.waitFor(1, (mail) => to(contactAddress)(mail) && mail.subject!.includes('przyjmuje'));
    expect(accepted!.subject).toBe('Rūta Petrauskienė przyjmuje Państwa zapytanie „Trasa zwiedzania”');
    expect(accepted!.headers.get('content-language')).toBe('pl');
    const text = accepted!.text!;
    expect(text).toContain('Dzień dobry, Ewa Zielińska,');
    expect(text).toContain('Państwa ekspert');
    expect(text).toContain('Imię i nazwisko: Rūta Petrauskienė');
    expect(text).toContain('W skrócie: Garso ir parodų dizainerė');
    expect(text).toContain('Języki: litewski, angielski i polski');
    expect(text).toContain(`Adres e-mail: ${rutaAddress}`);
    expect(text).toContain('Rūta Petrauskienė zaproponuje terminy konsultacji; otrzymają Państwo wiadomość, w której wybiorą jeden z nich.');

    const [withdrawn] = await mailed.sink.waitFor(1, (mail) => to(jonasAddress)(mail) && mail.subject!.startsWith('Nicht mehr nötig'));
    expect(withdrawn!.subject).toBe('Nicht mehr nötig: „Trasa zwiedzania“ (Muzeum Zalewu <Wiślanego>)');
    expect(withdrawn!.headers.get('content-language')).toBe('de');
    expect(withdrawn!.text).toContain('Guten Tag Jonas Weber,');
    expect(withdrawn!.text).toContain('Eine andere Fachperson hat die Anfrage „Trasa zwiedzania“ von Muzeum Zalewu <Wiślanego> angenommen; Ihre Einladung wurde deshalb zurückgezogen.');
    expect(String(withdrawn!.html)).toContain('Muzeum Zalewu &lt;Wiślanego&gt;');
    expect(content(withdrawn!)).not.toContain('Rūta');
    expect(content(withdrawn!)).not.toContain(rutaAddress);

    await settle();
    // The accepting expert's address is in the contact's acceptance mail only: in no earlier mail and no other.
    const showing = mailed.sink.mails.filter((mail) => content(mail).includes(rutaAddress));
    expect(showing).toEqual([accepted]);
    expect(mailed.sink.mails.indexOf(accepted!)).toBeGreaterThanOrEqual(before);
    expect(mailed.sink.mails.filter(to(jonasAddress))).toHaveLength(2);
    expect(mailed.sink.mails.filter(to(rutaAddress))).toHaveLength(1);
    expect(mailed.sink.mails.filter(to(contactAddress))).toHaveLength(2);
  });
});

describe('cancellation: every pending invitee is told once', () => {
  it('mails each withdrawn expert once, in their own language, saying the request was cancelled', async () => {
    const svAddress = `sv.${stamp()}@example.se`;
    const ltAddress = `lt.${stamp()}@example.lt`;
    const swede = await createExpert(mailed.context.app, admin(), { name: 'Anna Berg', email: svAddress, languages: ['sv', 'pl'], preferredLanguage: 'sv' });
    const lithuanian = await createExpert(mailed.context.app, admin(), { name: 'Tomas Kairys', email: ltAddress, languages: ['lt', 'pl'], preferredLanguage: 'lt' });
    const partner = await createKey(mailed.context.app, admin(), { role: 'partner' });
    const id = await submitRequest(mailed.context.app, partner, { organization: { name: 'Gmina Krynica Morska', type: 'public', country: 'PL' }, title: 'Szlak bursztynowy', contact: undefined });
    await waitForStage(mailed.context.app, partner, id, 'matched');
    await invite(partner, id, swede.id);
    await invite(partner, id, lithuanian.id);

    await api(mailed.context.app).post(`/v1/requests/${id}/cancel`).set(partner).send({ reason: 'Budget cut' }).expect(200);

    const [swedish] = await mailed.sink.waitFor(1, (mail) => to(svAddress)(mail) && mail.subject!.startsWith('Behövs inte'));
    const [lithuanianMail] = await mailed.sink.waitFor(1, (mail) => to(ltAddress)(mail) && mail.subject!.startsWith('Nebereikia'));
    expect(swedish!.text).toContain('Gmina Krynica Morska har avbrutit förfrågan ”Szlak bursztynowy”, så din inbjudan har dragits tillbaka.');
    expect(swedish!.headers.get('content-language')).toBe('sv');
    expect(lithuanianMail!.text).toContain('Organizacija Gmina Krynica Morska atšaukė užklausą „Szlak bursztynowy“, todėl jūsų kvietimas atšauktas.');
    expect(lithuanianMail!.text).not.toContain('Budget cut');

    // A second cancel changes nothing and mails nobody.
    await api(mailed.context.app).post(`/v1/requests/${id}/cancel`).set(partner).send({ reason: 'again' }).expect(409);
    await settle();
    expect(mailed.sink.mails.filter(to(svAddress)).map((mail) => mail.subject)).toEqual(['Inbjudan: ”Szlak bursztynowy” (Gmina Krynica Morska)', swedish!.subject]);
    expect(mailed.sink.mails.filter(to(ltAddress)).map((mail) => mail.subject)).toEqual(['Kvietimas: „Szlak bursztynowy“ (Gmina Krynica Morska)', lithuanianMail!.subject]);
  });
});
