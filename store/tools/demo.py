"""The demo data folder: deterministic, and true to the 2024/25 report.

``write_demo`` writes three reporting periods of made-up inquiries and appeal
decisions. The 2024/25 period is built from the published tables of the
citizens' advisor's report (Tabel 1-4, typed in below as the generator's
input): the generator decides which points are main issues and which are
follow-ups, attaches the follow-ups to inquiries and writes the text around
them, so that the summary computed from the files gives the published tables
cell by cell. The report's nine cases are among those inquiries. The two
earlier periods are drawn from the random generator alone, on the same level as
2024/25.

Everything comes from one ``random.Random`` with a fixed seed, so writing the
demo twice gives byte-identical folders. All names of people are obviously
fictitious, and no text holds anything that looks like a CPR number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from ..domain.periods import Period, parse_period
from ..domain.records import Appeal, Citizen, Inquiry, Point
from ..domain.taxonomy import DEFAULT_THEMES, default_settings
from ..folder.datafolder import DataFolder
from ..format.layout import ID_ALPHABET

SEED = 20250515

BAE = "Borger, Arbejdsmarked & Erhverv"
BAE_OLD = "Borger & Arbejdsmarked"  # an alias of BAE in caselog.toml
BF = "Børn & Familie"
DS = "Dagtilbud & Skole"
KFE = "Kultur, Fritid & Ejendomme"
MT = "Miljø & Teknik"
ESS = "Ældre, Sundhed & Social"
OS = "Økonomi & Stab"
OVR = "Øvrige"

BOARD = "Ankestyrelsen"
REMARKS = ("Utilstrækkelig begrundelse", "Utilstrækkelig sagsoplysning", "Sagsbehandlingstid")
LAST_CLOSING = date(2025, 5, 15)  # no demo inquiry is closed after this day


# ---------------------------------------------------------------------------
# The published tables of the 2024/25 report: the generator's input.

PUBLISHED_PERIOD = "2024/25"

# Column order of Tabel 2 (and of the tuples below).
COLUMNS = (BAE, BF, DS, KFE, MT, ESS, OS, OVR)

# Tabel 1: department -> (hovedsager, følgesager).
TABLE1: dict[str, tuple[int, int]] = {
    BAE: (50, 10),
    BF: (39, 12),
    DS: (17, 9),
    KFE: (5, 3),
    MT: (4, 3),
    ESS: (34, 4),
    OS: (1, 0),
    OVR: (12, 0),
}

# Tabel 2: (theme, subtheme) -> points per department, in COLUMNS order.
TABLE2: dict[tuple[str, str], tuple[int, ...]] = {
    ("Andet", "Anden offentligretlig lovgivning"): (12, 12, 2, 1, 0, 6, 0, 8),
    ("Andet", "Privatretlige spørgsmål"): (1, 0, 0, 0, 0, 0, 0, 2),
    ("GDPR", "Behandlingssikkerhed"): (0, 1, 0, 0, 0, 1, 0, 0),
    ("GDPR", "Berigtigelse, sletning eller blokering"): (0, 0, 1, 0, 0, 0, 0, 0),
    ("GDPR", "Databehandlingsskik"): (0, 0, 1, 0, 0, 0, 0, 0),
    ("Forvaltningsloven", "Begrundelse"): (4, 1, 2, 1, 0, 4, 0, 0),
    ("Forvaltningsloven", "Klagevejledning"): (0, 0, 0, 0, 1, 0, 0, 2),
    ("Forvaltningsloven", "Partsaktindsigt"): (0, 1, 2, 0, 0, 1, 0, 0),
    ("Forvaltningsloven", "Partshøring"): (0, 1, 0, 1, 1, 0, 0, 0),
    ("Forvaltningsloven", "Repræsentation"): (0, 0, 0, 0, 0, 1, 0, 0),
    ("Forvaltningsloven", "Vejledning"): (3, 1, 0, 0, 0, 0, 0, 0),
    ("Forvaltningsskik", "Betjening af borgerne"): (3, 0, 0, 2, 0, 3, 0, 0),
    ("Forvaltningsskik", "Enkelhed og effektivitet"): (0, 0, 1, 0, 0, 0, 0, 0),
    ("Forvaltningsskik", "Inddragelse"): (0, 6, 5, 0, 1, 0, 0, 0),
    ("Forvaltningsskik", "Koordineret indsats"): (1, 2, 0, 0, 0, 1, 0, 0),
    ("Forvaltningsskik", "Opfølgning"): (0, 0, 1, 0, 0, 0, 0, 0),
    ("Forvaltningsskik", "Orientering om sagens gang eller status"): (2, 2, 0, 0, 0, 2, 0, 0),
    ("Forvaltningsskik", "Sagsbehandlingstid og manglende svar"): (5, 6, 3, 0, 2, 5, 1, 0),
    ("Forvaltningsskik", "Sprogbrug, klarhed, præcision m.v."): (1, 1, 0, 0, 1, 1, 0, 0),
    ("Forvaltningsskik", "Venlig og hensynsfuld optræden"): (4, 2, 0, 0, 0, 2, 0, 0),
    ("Forvaltningsskik", "Åbenhed og tillid"): (4, 4, 7, 1, 1, 2, 0, 0),
    ("Hjemmelsspørgsmål", "Afgørelser"): (5, 4, 0, 0, 0, 2, 0, 0),
    ("Hjemmelsspørgsmål", "Andre materielle spm"): (1, 0, 1, 1, 0, 0, 0, 0),
    ("Offentlighedsloven", "Notatpligt"): (0, 3, 0, 1, 0, 0, 0, 0),
    ("Opgavevaretagelse", "Generelle serviceniveau"): (10, 0, 0, 0, 0, 0, 0, 0),
    ("Opgavevaretagelse", "Konkret serviceniveau"): (1, 2, 0, 0, 0, 6, 0, 0),
    ("Retsgrundsætninger", "Sagsoplysning og oplysningsskridt"): (3, 2, 0, 0, 0, 1, 0, 0),
}

# Tabel 3: department -> (uden bemærkninger, med bemærkninger, klage afvist).
# The report's row "Borger & Arbejdsmarked" is BAE under its older name.
TABLE3: dict[str, tuple[int, int, int]] = {
    BF: (7, 10, 2),
    BAE: (11, 14, 2),
    ESS: (11, 7, 0),
    DS: (0, 0, 0),
}

# Tabel 4: department -> remarks per theme, in REMARKS order.
TABLE4: dict[str, tuple[int, int, int]] = {
    BF: (6, 5, 3),
    BAE: (9, 6, 1),
    ESS: (2, 6, 1),
    DS: (0, 0, 0),
}

# Not in the tables, but stated in the text: the two kinds split about evenly,
# and complaint-help inquiries are counted on their own.
KINDS_2024 = {"complaint": 81, "inquiry": 81}
COMPLAINT_HELP_2024 = 12
OPEN_2024 = 8  # the most recent inquiries are still open
EARLIER_PERIODS = ("2022/23", "2023/24")


# ---------------------------------------------------------------------------
# The report's nine cases, retold as inquiries.


@dataclass(frozen=True)
class Case:
    number: int
    kind: str
    channel: str
    title: str
    notes: str
    main: tuple[str, str, str]
    follow_up: tuple[tuple[str, str, str], ...] = ()


FS = "Forvaltningsskik"
FVL = "Forvaltningsloven"

CASES: tuple[Case, ...] = (
    Case(
        1, "inquiry", "Telefon",
        "Nyt aktiveringsforløb under afklaring til fleksjob",
        "Borger spørger, om det kan være rigtigt, at jobcenteret vil sende ham i et nyt "
        "aktiveringsforløb. Ud fra borgers beskrivelse er han under afklaring til muligt fleksjob.\n\n"
        "Jeg vejledte generelt om betingelserne for fleksjob, herunder afklaring af arbejdsevne og "
        "eventuelle skånebehov, og om at han har ret til at kende formålet og planen med hvert "
        "aktiveringsforløb. Borger følte sig bedre klædt på til næste samtale i jobcenteret og havde "
        "ikke behov for, at jeg gik videre med sagen.",
        (BAE, "Andet", "Anden offentligretlig lovgivning"),
    ),
    Case(
        2, "complaint", "Telefon",
        "Mangler vejledning om alternativ til tabt arbejdsfortjeneste",
        "En mor modtager tabt arbejdsfortjeneste for at passe sit barn hjemme og har spurgt "
        "rådgiveren i Familieafsnittet om en anden løsning, så hun kan komme tilbage på "
        "arbejdsmarkedet uden at det går ud over barnet. Rådgiveren bad hende selv finde "
        "løsninger og komme med en plan, men hun kender ikke reglerne.\n\n"
        "Jeg vejledte om støttemulighederne i Barnets Lov og om, at hendes opgave er at beskrive "
        "behov og ønsker, mens hun med rimelighed kan forvente, at rådgiveren finder de mulige "
        "løsninger.",
        (BF, FVL, "Vejledning"),
    ),
    Case(
        3, "complaint", "Mail",
        "Skoletilbud svarer ikke til det aftalte",
        "En mor oplever, at barnet mistrives, fordi skoletilbuddet ikke svarer til det, der blev "
        "lovet og aftalt før skolestart. Hun peger på elevsammensætningen i klassen og stiller "
        "spørgsmål ved personalets faglige kompetencer. Forvaltningen kan ikke genkende, at der er "
        "lovet en klasse kun med børn med samme type udfordringer.\n\n"
        "Der er fulgt en længere dialog mellem forældrene og forvaltningen om støtten til barnet, "
        "men det er svært at nå til enighed, da moren nu ønsker en helt anden løsning.",
        (DS, FS, "Åbenhed og tillid"),
        ((DS, FS, "Inddragelse"),),
    ),
    Case(
        4, "inquiry", "Telefon",
        "Forælder frygter anbringelse efter møde i Familieafsnittet",
        "En far ringer efter et møde i Familieafsnittet og spørger: \"Er kommunen i gang med at "
        "fjerne mine børn?\" Da jeg taler med forvaltningen, har anbringelse slet ikke været på "
        "tale, men derimod familiebehandling. Faren sidder tilbage med en oplevelse af, at "
        "kommunen ikke tror på det, han fortæller om barnets udfordringer.\n\n"
        "Jeg forklarede, hvad Familieafsnittet har henvist til og formålet med det, at offentligt "
        "ansatte har sandhedspligt, og at Familieafsnittet skal inddrage forældrene i sagen.",
        (BF, FS, "Åbenhed og tillid"),
        ((BF, FS, "Sprogbrug, klarhed, præcision m.v."),),
    ),
    Case(
        5, "inquiry", "Personligt møde",
        "Sendt fra Familieafsnittet til Ydelsescenteret og mødt med irritation",
        "Borger er bevilget tabt arbejdsfortjeneste 20 timer om ugen, og Familieafsnittet "
        "henviste ham til Ydelsescenteret for at søge supplerende kontanthjælp. Medarbejderen i "
        "Ydelsescenteret brokkede sig over Familieafsnittets vejledning og udtrykte irritation over, "
        "at de blandede sig uden for eget fagområde. Borger ønskede ikke en klagesag, men ville gøre "
        "opmærksom på sin oplevelse.\n\n"
        "Jeg tog sagen med på et statusmøde med lederen af Ydelsescenteret, som følger op i egen "
        "enhed og vil se på sagsgangene i samarbejdet med Familieafsnittet.",
        (BAE, FS, "Venlig og hensynsfuld optræden"),
        ((BF, FS, "Koordineret indsats"),),
    ),
    Case(
        6, "complaint", "Telefon",
        "Anbefalinger fra hjemmesygeplejen, men afslag på hjælpemidler",
        "Borger får anbefalinger fra hjemmesygeplejen om at holde sig aktiv i hjemmet, men får "
        "afslag på hjælpemidler og boligindretning, der kan understøtte det. Hun forstår ikke "
        "afslaget, når andre medarbejdere fra samme afdeling har bekræftet, at det er relevant.\n\n"
        "Afdelingen er enig i, at det er forvirrende, og indkalder til et fællesmøde med borger og "
        "de relevante fagfolk, så hun får sammenhængende vejledning om mulighederne for hjælp.",
        (ESS, FS, "Koordineret indsats"),
        ((ESS, "Opgavevaretagelse", "Konkret serviceniveau"),),
    ),
    Case(
        7, "complaint", "Telefon",
        "Ansøgning om ydelse reelt afvist i jobcenteret",
        "En ung borger søgte om ydelse i jobcenteret og fik at vide, at han skulle i "
        "aktiveringstilbud 37 timer om ugen og som hjemmeboende ville få en lav ydelse. Han oplevede "
        "at blive afvist: det kunne ikke betale sig, og han skulle hellere gå hjem og vente på "
        "studiestart. Han har et synshandicap og mener ikke, at han kan deltage i et tilbud.\n\n"
        "Afdelingen oplyser, at der ikke er givet afslag, men at borger selv trak ansøgningen, og at "
        "de ikke kendte til hans handicap. Jeg sørgede for, at borger henvendte sig på ny i "
        "jobcenteret til en ny samtale og vurdering af ansøgningen.",
        (BAE, FVL, "Begrundelse"),
        ((BAE, FVL, "Vejledning"),),
    ),
    Case(
        8, "complaint", "Telefon",
        "Afvist telefonisk ved ansøgning om hjælpemidler",
        "Borger ringede til Hjælpemidler om badeskammel, kørestol og rollator, men blev afvist med "
        "henvisning til, at hun ikke var færdigafklaret fra hospitalet. Hun havde hjælpemidlerne "
        "til låns fra hospitalet, som ikke kunne fortsætte udlånet og havde bedt hende kontakte "
        "kommunen.\n\n"
        "Afdelingen oplyste på min forespørgsel, at der ikke var truffet afgørelse om afslag, og at "
        "de ville kontakte borger om et hjemmebesøg og afklaring af mulighederne for hjælp.",
        (ESS, FVL, "Begrundelse"),
        ((ESS, "Retsgrundsætninger", "Sagsoplysning og oplysningsskridt"),),
    ),
    Case(
        9, "complaint", "Mail",
        "Skoleskift afvist uden afgørelse",
        "En mor ønsker skoleskift for sit barn. Den ønskede skole afviste anmodningen uden nærmere "
        "begrundelse og har kun mundtligt nævnt nogle forhold ved barnet. Hun har hverken fået en "
        "afgørelse eller været partshørt.\n\n"
        "Jeg bad afdelingen forholde sig til, om afvisningen er en afgørelse, og i så fald om den "
        "bygger på saglige og korrekte oplysninger. Afdelingen meldte tilbage, at de er i god "
        "dialog med moren om et relevant skoletilbud.",
        (DS, FVL, "Begrundelse"),
    ),
)


# ---------------------------------------------------------------------------
# Words for the generated inquiries.

# Department -> [(unit, [what the inquiry is about])]. A leading "~" marks a
# matter that is not applied for (no "afslag på ..." about it).
UNITS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    BAE: (
        ("jobcenteret", ("sygedagpenge", "ressourceforløb", "jobafklaringsforløb", "fleksjob",
                         "~aktivering", "virksomhedspraktik", "ledighedsydelse")),
        ("Ydelsescenteret", ("kontanthjælp", "en enkeltydelse", "hjælp til depositum",
                             "~tilbagebetaling af kontanthjælp", "særlig støtte til husleje")),
        ("Boliganvisningen", ("anvisning af bolig", "akut boligsøgning", "boligplacering")),
        ("Borgerservice", ("~et nyt sundhedskort", "~skift af læge", "~folkeregisteradresse")),
        ("Uddannelse & Job", ("uddannelseshjælp", "~uddannelsespålæg", "mentorstøtte")),
    ),
    BF: (
        ("Familieafsnittet", ("aflastning", "tabt arbejdsfortjeneste", "dækning af merudgifter",
                              "~familiebehandling", "~en børnefaglig undersøgelse",
                              "~samvær med et anbragt barn", "en fast kontaktperson", "~en underretning")),
        ("Sundhedsplejen", ("sundhedsplejerskebesøg", "støtte efter fødslen")),
        ("Familiehuset", ("et forældreforløb", "~familiebehandling")),
    ),
    DS: (
        ("skoleafdelingen", ("optagelse på en anden skole", "et specialtilbud", "befordring til skole",
                             "~frit skolevalg", "hjemmeundervisning")),
        ("PPR", ("en PPR-udredning", "specialpædagogisk bistand")),
        ("Pladsanvisningen", ("en vuggestueplads", "en børnehaveplads", "søskendefortrin",
                              "en dagplejeplads", "fripladstilskud")),
        ("skolen", ("støtte i undervisningen", "~ulovligt fravær", "~et barns trivsel", "plads i SFO")),
    ),
    KFE: (
        ("Kultur & Fritid", ("foreningstilskud", "leje af en sal", "hal-tider", "et puljetilskud")),
        ("Ejendomsafdelingen", ("~vedligeholdelse af en kommunal bygning", "~et kommunalt lejemål")),
        ("biblioteket", ("~et gebyr for en bog", "adgang til biblioteket")),
    ),
    MT: (
        ("Plan, Byg & Miljø", ("en byggetilladelse", "en dispensation fra lokalplanen",
                               "~et nabobyggeri", "~en støjklage")),
        ("Trafik & Natur", ("~en parkeringsafgift", "vejbump", "beskæring af træer", "~snerydning")),
        ("Forsyningen", ("~affaldsafhentning", "~en vandregning", "en affaldsbeholder")),
        ("Materialegården", ("~en indberetning via Giv et praj", "~storskrald")),
    ),
    ESS: (
        ("Visitationen", ("hjemmehjælp", "rengøringshjælp", "en plejebolig", "madservice",
                          "et nødkald")),
        ("Hjælpemidler og Træning", ("en kørestol", "en badestol", "boligindretning", "genoptræning",
                                     "et hjælpemiddel", "en el-scooter")),
        ("Socialenheden for Voksne", ("socialpædagogisk støtte", "et botilbud", "bostøtte",
                                      "borgerstyret personlig assistance")),
        ("Rusmiddelcentret", ("rusmiddelbehandling", "et behandlingsforløb")),
        ("hjemmeplejen", ("~besøgstider i hjemmeplejen", "personlig pleje")),
    ),
    OS: (
        ("Opkrævningen", ("~en restance", "~en rykkerskrivelse", "~en regning fra kommunen",
                          "~ejendomsskat", "en afdragsordning", "henstand med betaling")),
    ),
    OVR: (
        ("Udbetaling Danmark", ("boligstøtte", "folkepension", "barselsdagpenge",
                                "børne- og ungeydelse", "~tilbagebetaling af boligstøtte")),
        ("Udlændingestyrelsen", ("familiesammenføring", "en opholdstilladelse")),
        ("Familieretshuset", ("samvær", "børnebidrag", "~forældremyndighed")),
        ("Skattestyrelsen", ("~en forskudsopgørelse", "~en restskat", "henstand med en restskat")),
    ),
}

# A unit that fits a subtheme better than the others (the report: half of the
# inquiries about the general service level concern the housing allocation).
UNIT_HINTS = {
    (BAE, "Generelle serviceniveau"): "Boliganvisningen",
    (ESS, "Konkret serviceniveau"): "Visitationen",
}

# Who contacts the advisor: (subject at the start of a sentence, the same later on).
PEOPLE_GENERAL = (("En borger", "borgeren"),) * 4 + (("En pårørende", "den pårørende"),)
PEOPLE_PARENTS = (("En mor", "moren"), ("En far", "faren"), ("Et forældrepar", "forældrene"),
                  ("En borger", "borgeren"))
PEOPLE_ELDERLY = (("En borger", "borgeren"),) * 3 + (
    ("En pårørende", "den pårørende"), ("En datter til en ældre borger", "datteren"),
    ("En søn til en ældre borger", "sønnen"))
PEOPLE = {BF: PEOPLE_PARENTS, DS: PEOPLE_PARENTS, ESS: PEOPLE_ELDERLY}

# Subtheme -> (titles, opening sentences). Placeholders: {who}, {ref} (the
# person), {area} (what it is about), {unit} (where in the municipality).
TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Anden offentligretlig lovgivning": (
        ("Spørgsmål om reglerne for {area}", "Kan det passe? Regler om {area}",
         "Vejledning om {area}", "Tvivl om rettigheder ved {area}"),
        ("{who} spørger, om det kan passe, at reglerne for {area} er, som {unit} har forklaret.",
         "{who} ønsker en uafhængig vurdering af reglerne om {area} før næste møde med {unit}.",
         "{who} er i tvivl om rettigheder og pligter i sagen om {area} hos {unit}."),
    ),
    "Privatretlige spørgsmål": (
        ("Privatretligt spørgsmål", "Tvist med udlejer", "Spørgsmål om privat aftale"),
        ("{who} spørger til en tvist med en privat udlejer, som hænger sammen med {area}.",
         "{who} har et spørgsmål om en privat aftale, som ligger uden for kommunens område."),
    ),
    "Behandlingssikkerhed": (
        ("Brev sendt til forkert modtager", "Følsomme oplysninger sendt med almindelig mail"),
        ("{who} har modtaget et brev fra {unit} med oplysninger om en anden borger.",
         "{who} oplever, at {unit} har sendt helbredsoplysninger med almindelig mail."),
    ),
    "Berigtigelse, sletning eller blokering": (
        ("Ønske om rettelse af oplysninger", "Anmodning om sletning af notat"),
        ("{who} mener, at der står forkerte oplysninger i sagen om {area} og vil have dem rettet.",
         "{who} ønsker et notat fra {unit} slettet, fordi det efter {ref}s opfattelse er forkert."),
    ),
    "Databehandlingsskik": (
        ("Oplysninger indhentet uden samtykke", "Deling af oplysninger mellem enheder"),
        ("{who} undrer sig over, at {unit} har indhentet oplysninger uden at spørge først.",
         "{who} er utryg ved, at oplysninger fra sagen om {area} er delt med en anden enhed."),
    ),
    "Begrundelse": (
        ("Afslag på {area} uden begrundelse", "Mangelfuld begrundelse ({area})",
         "Mundtligt afslag på {area}", "Uforståelig begrundelse i afgørelse"),
        ("{who} har fået afslag på {area} og forstår ikke hvorfor; afgørelsen fra {unit} henviser "
         "kun til en paragraf.",
         "{who} blev mundtligt afvist af {unit} i sagen om {area} og har ikke fået en skriftlig "
         "afgørelse.",
         "{who} kan ikke se, hvilke oplysninger {unit} har lagt vægt på i afgørelsen om {area}."),
    ),
    "Klagevejledning": (
        ("Manglende klagevejledning ({area})", "Forkert klagefrist i afgørelse"),
        ("Afgørelsen om {area} fra {unit} indeholdt ingen klagevejledning, og {ref} vidste ikke, "
         "hvordan der kunne klages.",
         "{who} har fået oplyst en forkert klagefrist i afgørelsen om {area}."),
    ),
    "Partsaktindsigt": (
        ("Aktindsigt i egen sag ikke besvaret", "Spørgsmål om løbende aktindsigt",
         "Undtagne akter uden begrundelse"),
        ("{who} bad {unit} om aktindsigt i sagen om {area} for flere uger siden og har intet hørt.",
         "{who} har fået delvis aktindsigt, men uden begrundelse for de akter, der er undtaget.",
         "{who} spørger, om det er muligt at få løbende aktindsigt i sagen om {area}."),
    ),
    "Partshøring": (
        ("Afgørelse uden partshøring", "Ikke hørt om nye oplysninger"),
        ("{who} har fået en afgørelse om {area}, der bygger på oplysninger, som {ref} aldrig er "
         "blevet hørt om.",
         "{who} blev ikke partshørt, før {unit} traf afgørelse om {area}."),
    ),
    "Repræsentation": (
        ("Bisidder afvist til møde", "Fuldmagt til pårørende ikke respekteret"),
        ("{who} ønskede en bisidder med til mødet med {unit}, men fik at vide, at det ikke var muligt.",
         "{who} har givet fuldmagt til et familiemedlem, men {unit} vil ikke tale med vedkommende."),
    ),
    "Vejledning": (
        ("Manglende vejledning om {area}", "Utilstrækkelig vejledning fra {unit}"),
        ("{who} oplever ikke at have fået tilstrækkelig vejledning fra {unit} om {area}.",
         "{who} fik først sent at vide, at der kunne søges om {area}, og mener at have lidt et tab."),
    ),
    "Betjening af borgerne": (
        ("Svært at komme igennem til {unit}", "Ingen opringning tilbage", "Telefontid passer ikke"),
        ("{who} har mange gange forsøgt at ringe til {unit} uden at komme igennem.",
         "{who} har lagt besked hos {unit} flere gange om {area}, men bliver ikke ringet op."),
    ),
    "Enkelhed og effektivitet": (
        ("Samme dokumenter indsendt flere gange", "Besværlig ansøgning om {area}"),
        ("{who} er blevet bedt om at sende de samme dokumenter til {unit} flere gange.",
         "{who} synes, at ansøgningen om {area} er unødigt besværlig og tung at komme igennem."),
    ),
    "Inddragelse": (
        ("Ikke inddraget i planen om {area}", "Oplever ikke at blive hørt", "Plan lagt hen over hovedet"),
        ("{who} oplever ikke at blive inddraget i beslutningerne om {area} og føler sig ikke hørt.",
         "{who} mener, at {unit} har lagt en plan om {area} uden at tale med familien først."),
    ),
    "Koordineret indsats": (
        ("Sendt rundt mellem enheder", "Modstridende vejledning fra to enheder"),
        ("{who} bliver sendt rundt mellem {unit} og andre enheder, og ingen tager ansvar for sagen "
         "om {area}.",
         "{who} har fået forskellige svar om {area} fra to medarbejdere og ved ikke, hvad der gælder."),
    ),
    "Opfølgning": (
        ("Aftale ikke fulgt op", "Manglende opfølgning efter møde"),
        ("Der blev på et møde med {unit} aftalt opfølgning om {area}, men {ref} har ikke hørt mere.",
         "{who} har ventet på den opfølgning om {area}, som {unit} lovede for en måned siden."),
    ),
    "Orientering om sagens gang eller status": (
        ("Ingen orientering om sagens status", "Uvished om sagen om {area}"),
        ("{who} ved ikke, hvor langt sagen om {area} er, og har ikke fået nogen orientering.",
         "{who} har ikke hørt fra {unit}, siden sagen om {area} blev sendt videre."),
    ),
    "Sagsbehandlingstid og manglende svar": (
        ("Lang sagsbehandlingstid på {area}", "Intet svar på ansøgning om {area}",
         "Venter stadig på svar fra {unit}"),
        ("{who} har ventet flere måneder på svar om {area} og har ikke fået at vide, hvornår det "
         "kommer.",
         "{who} har skrevet til {unit} flere gange om {area} uden at få svar."),
    ),
    "Sprogbrug, klarhed, præcision m.v.": (
        ("Uforståeligt brev om {area}", "Uklart brev fra {unit}"),
        ("{who} har modtaget et brev om {area} fra {unit}, som er svært at forstå.",
         "{who} forstår ikke, hvad brevet fra {unit} betyder for sagen om {area}."),
    ),
    "Venlig og hensynsfuld optræden": (
        ("Nedladende tone i samtale", "Utilfreds med medarbejders optræden"),
        ("{who} oplevede en nedladende tone i en samtale med en medarbejder fra {unit}.",
         "{who} følte sig ikke mødt med respekt på mødet med {unit} om {area}."),
    ),
    "Åbenhed og tillid": (
        ("Mistillid til sagsbehandleren", "Føler sig mistænkeliggjort", "Tilliden til rådgiveren er brudt"),
        ("{who} har mistet tilliden til sagsbehandleren i {unit} efter forløbet om {area}.",
         "{who} føler sig mistænkeliggjort af {unit} i sagen om {area}."),
    ),
    "Afgørelser": (
        ("Afslag på {area}", "Uenig i afgørelse om {area}", "Har kommunen hjemmel? ({area})"),
        ("{who} er uenig i afgørelsen fra {unit} om {area} og spørger, om kommunen har hjemmel til den.",
         "{who} har fået afslag på {area} og vil vide, om afgørelsen er lovlig."),
    ),
    "Andre materielle spm": (
        ("Krav om egenbetaling for {area}", "Spørgsmål om kommunens praksis"),
        ("{who} spørger, om {unit} kan kræve egenbetaling for {area}.",
         "{who} undrer sig over kommunens praksis for {area} og spørger, hvad den bygger på."),
    ),
    "Notatpligt": (
        ("Mundtlig anmodning ikke noteret", "Oplysninger fra møde ikke noteret"),
        ("{who} fortalte om væsentlige forhold på et møde med {unit}, men kan ikke se dem noteret.",
         "{who} bad mundtligt om aktindsigt hos {unit}, men anmodningen blev ikke noteret."),
    ),
    "Generelle serviceniveau": (
        ("Serviceniveau for {area}", "Hvor står serviceniveauet for {area}?",
         "Ventetid på {area}", "Hvad kan kommunen tilbyde? ({area})"),
        ("{who} vil vide, hvad kommunens serviceniveau er for {area}, og hvor det står beskrevet.",
         "{who} spørger, hvorfor ventetiden på {area} er så lang i kommunen."),
    ),
    "Konkret serviceniveau": (
        ("For lidt hjælp i forhold til behovet", "Utilfreds med omfanget af {area}"),
        ("{who} mener, at den tildelte hjælp ({area}) ikke dækker behovet.",
         "{who} er utilfreds med, at {unit} har skåret ned på {area}."),
    ),
    "Sagsoplysning og oplysningsskridt": (
        ("Sagen ikke tilstrækkeligt oplyst", "Lægeoplysninger ikke indhentet"),
        ("{who} mener, at {unit} har afgjort sagen om {area} uden at indhente de relevante oplysninger.",
         "{who} undrer sig over, at {unit} ikke har talt med egen læge, før sagen om {area} blev afgjort."),
    ),
}

# Subtheme -> a sentence about a follow-up issue ({ref}: the person, {unit}: its unit).
FOLLOW_TEXTS: dict[str, str] = {
    "Anden offentligretlig lovgivning": "{Ref} spurgte også til reglerne i sagen hos {unit}.",
    "Privatretlige spørgsmål": "{Ref} havde også et privatretligt spørgsmål.",
    "Behandlingssikkerhed": "{Ref} nævnte også, at et brev fra {unit} var sendt forkert.",
    "Berigtigelse, sletning eller blokering": "{Ref} ønsker desuden forkerte oplysninger rettet.",
    "Databehandlingsskik": "{Ref} er desuden utryg ved, hvordan {unit} deler oplysninger.",
    "Begrundelse": "{Ref} forstår heller ikke begrundelsen i afgørelsen fra {unit}.",
    "Klagevejledning": "Afgørelsen fra {unit} manglede desuden klagevejledning.",
    "Partsaktindsigt": "{Ref} har desuden ventet længe på aktindsigt hos {unit}.",
    "Partshøring": "{Ref} blev heller ikke partshørt af {unit}.",
    "Repræsentation": "{Ref} måtte desuden ikke have bisidder med hos {unit}.",
    "Vejledning": "{Ref} savner også vejledning fra {unit} om mulighederne.",
    "Betjening af borgerne": "Det er desuden svært at komme igennem til {unit}.",
    "Enkelhed og effektivitet": "{Ref} har desuden sendt de samme papirer til {unit} flere gange.",
    "Inddragelse": "{Ref} føler sig desuden ikke inddraget af {unit}.",
    "Koordineret indsats": "{Ref} oplever også, at {unit} ikke taler sammen med de andre enheder.",
    "Opfølgning": "{unit} har desuden ikke fulgt op som aftalt.",
    "Orientering om sagens gang eller status": "{Ref} har heller ikke fået status fra {unit}.",
    "Sagsbehandlingstid og manglende svar": "{Ref} har desuden ventet længe på svar fra {unit}.",
    "Sprogbrug, klarhed, præcision m.v.": "Brevene fra {unit} er desuden svære at forstå.",
    "Venlig og hensynsfuld optræden": "{Ref} oplevede også en afvisende tone hos {unit}.",
    "Åbenhed og tillid": "{Ref} har desuden mistet tilliden til {unit}.",
    "Afgørelser": "{Ref} er også uenig i en afgørelse fra {unit}.",
    "Andre materielle spm": "{Ref} spurgte også til praksis hos {unit}.",
    "Notatpligt": "Oplysninger fra et møde med {unit} er desuden ikke noteret.",
    "Generelle serviceniveau": "{Ref} spurgte også til serviceniveauet hos {unit}.",
    "Konkret serviceniveau": "{Ref} mener også, at hjælpen fra {unit} er for lille.",
    "Sagsoplysning og oplysningsskridt": "{Ref} mener desuden, at {unit} ikke har oplyst sagen.",
}

# What the advisor did, by kind.
ACTIONS = {
    "inquiry": (
        "Jeg forklarede sagsgangen og henviste til {unit} for konkret vejledning.",
        "Jeg gennemgik sagen med {ref} og forklarede, hvad der kan forventes.",
        "{Ref} ønskede alene vejledning og ikke, at jeg gik videre med sagen.",
        "Jeg hjalp {ref} med at formulere en henvendelse til {unit}.",
        "Jeg vejledte om, hvordan {ref} kan tage det op med lederen i {unit}.",
    ),
    "complaint": (
        "Jeg kontaktede {unit}, som har givet {ref} et svar.",
        "Jeg bad {unit} om en redegørelse for forløbet.",
        "Jeg rettede henvendelse til lederen i {unit}, som har lovet svar inden for to uger.",
        "Jeg talte med {unit}, som vil kontakte {ref} og følge op.",
        "Jeg kontaktede {unit}, og der er aftalt et møde med {ref}.",
    ),
}
# Theme -> what the advisor did about an inquiry (a question) of that theme (used now and then).
THEME_ACTIONS = {
    theme: (
        "Jeg vejledte om reglerne og om, hvor {ref} kan få konkret vejledning i {unit}.",
        "Jeg vejledte om klagemulighederne og om klagefristen.",
    )
    for theme in ("Andet", "Forvaltningsloven", "Hjemmelsspørgsmål", "Opgavevaretagelse")
}
# Subtheme -> what the advisor did about a complaint of that kind (used now and then).
SPECIFIC_ACTIONS = {
    "Sagsbehandlingstid og manglende svar": (
        "Jeg kontaktede {unit}, som har givet {ref} et forventet svartidspunkt.",
        "Efter min henvendelse har {unit} svaret {ref} og beklaget ventetiden.",
    ),
    "Begrundelse": (
        "Efter min henvendelse har {unit} genoptaget sagen og sendt en begrundet afgørelse.",
        "Jeg bad {unit} vurdere, om der var tale om en afgørelse; sagen er genoptaget.",
    ),
    "Partsaktindsigt": ("Jeg kontaktede {unit}, som har sendt aktindsigten med en beklagelse.",),
    "Klagevejledning": ("{unit} har efter min henvendelse sendt afgørelsen igen med klagevejledning.",),
    "Partshøring": ("{unit} har efter min henvendelse partshørt {ref} og genoptaget sagen.",),
    "Afgørelser": ("Efter min henvendelse har {unit} genvurderet sagen.",),
    "Sagsoplysning og oplysningsskridt": (
        "{unit} har efter min henvendelse indhentet nye oplysninger og genoptaget sagen.",
    ),
    "Orientering om sagens gang eller status": (
        "Jeg kontaktede {unit}, som har orienteret {ref} om, hvor sagen står.",
    ),
    "Venlig og hensynsfuld optræden": (
        "{unit} har efter min henvendelse beklaget og vil drøfte forløbet med medarbejderne.",
    ),
    "Betjening af borgerne": ("Jeg kontaktede {unit}, som har beklaget og ringet {ref} op.",),
    "Åbenhed og tillid": ("Jeg deltog i et møde mellem {ref} og {unit} for at genoprette dialogen.",),
    "Inddragelse": ("Efter min henvendelse har {unit} inviteret {ref} til et møde om planen.",),
}
ACTIONS_OTHER_AUTHORITY = (
    "Da sagen ikke hører under kommunen, vejledte jeg om, hvordan {ref} kan henvende sig til {unit}.",
    "Jeg forklarede reglerne generelt og henviste til {unit} og klagemulighederne dér.",
)
OUTCOMES = (
    "Sagen er afsluttet.",
    "{Ref} var tilfreds med svaret.",
    "{Ref} vender tilbage, hvis der ikke sker noget.",
    "",
    "",
)

HELP_TITLES = ("Hjælp til klage over afslag på {area}", "Hjælp til klage over afgørelse om {area}",
               "Sparring om klage over {area}")
HELP_NOTES = (
    "{who} ønskede hjælp til at klage over afgørelsen om {area} fra {unit}. Jeg hjalp med at skrive "
    "klagen på baggrund af {ref}s oplysninger.",
    "{who} havde selv skrevet en klage over afgørelsen om {area} og ønskede sparring. Jeg gav input "
    "til, hvad klagen bør fokusere på.",
)
HELP_POINTS = (
    (BAE, "Hjemmelsspørgsmål", "Afgørelser"),
    (BF, "Hjemmelsspørgsmål", "Afgørelser"),
    (ESS, "Hjemmelsspørgsmål", "Afgørelser"),
    (OVR, "Hjemmelsspørgsmål", "Afgørelser"),
)

APPEAL_NOTES = {
    "no-remarks": ("", "", "Klage over afgørelse om {area}."),
    "remarks": ("", "Klage over afgørelse om {area}.", "Gennemgås på teammøde med henblik på læring."),
    "rejected": ("Klagen er afvist, da klagefristen var overskredet.",
                 "Klagen er afvist, da den ikke angik en afgørelse.", ""),
}
REMARK_NOTES = {
    "Utilstrækkelig begrundelse": "Ankestyrelsen bemærker, at begrundelsen ikke opfylder kravene.",
    "Utilstrækkelig sagsoplysning": "Ankestyrelsen bemærker, at sagen ikke var tilstrækkeligt oplyst.",
    "Sagsbehandlingstid": "Ankestyrelsen bemærker, at genvurderingen tog for lang tid.",
}

# Obviously made-up people for the few inquiries with a [citizen] block.
CITIZEN_FIRST = ("Anne", "Bent", "Camilla", "Dorthe", "Erik", "Frida", "Gustav", "Hanne", "Ib", "Jonna")
CITIZEN_LAST = ("Eksempel", "Prøvesen", "Demosen", "Fiktivsen", "Testesen", "Opdigtet")
CHANNEL_WEIGHTS = {"Telefon": 45, "Mail": 33, "Personligt møde": 12, "Brev": 3, "Digital post": 7}

# Subthemes more often registered as a follow-up than as the main issue.
FOLLOW_UP_PRONE = {
    "Sagsbehandlingstid og manglende svar": 3.0, "Orientering om sagens gang eller status": 3.0,
    "Klagevejledning": 3.0, "Partshøring": 2.5, "Begrundelse": 2.0, "Vejledning": 2.0,
    "Inddragelse": 2.5, "Notatpligt": 2.5, "Sprogbrug, klarhed, præcision m.v.": 2.5,
    "Koordineret indsats": 2.0, "Opfølgning": 2.0, "Sagsoplysning og oplysningsskridt": 2.0,
    "Venlig og hensynsfuld optræden": 1.5, "Betjening af borgerne": 1.5,
}
# Where a follow-up in another department than the main issue usually comes from.
RELATED = {
    BAE: (BF, ESS, OVR), BF: (DS, BAE), DS: (BF,), KFE: (MT,), MT: (KFE, BAE),
    ESS: (BAE,), OS: (BAE,), OVR: (BAE,),
}
# Share of inquiries that are complaints, by the theme of the main issue.
COMPLAINT_WEIGHT = {
    "Andet": 0.35, "Opgavevaretagelse": 0.4, "Hjemmelsspørgsmål": 0.55, "GDPR": 0.7,
    "Forvaltningsloven": 0.7, "Forvaltningsskik": 0.65, "Offentlighedsloven": 0.7,
    "Retsgrundsætninger": 0.75,
}


# ---------------------------------------------------------------------------
# Drafts: the facts of an inquiry before the text, dates and id are added.


@dataclass
class _Draft:
    main: Point
    follow_up: list[Point] = field(default_factory=list)
    kind: str = "inquiry"
    case: Case | None = None

    def has(self, p: Point) -> bool:
        return any(q == p for q in (self.main, *self.follow_up))


def _point(t: tuple[str, str, str]) -> Point:
    return Point(t[0], t[1], t[2])


def _weighted_sample(rng: random.Random, weights: list[float], k: int) -> list[int]:
    """Indices of ``k`` items drawn without replacement, the heavier ones more likely."""
    keys = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    keys.sort(reverse=True)
    return sorted(i for _key, i in keys[:k])


def published_points() -> dict[str, list[Point]]:
    """Every point of Tabel 2, per department (checked against Tabel 1)."""
    by_dept: dict[str, list[Point]] = {d: [] for d in COLUMNS}
    for (theme, sub), row in TABLE2.items():
        for d, n in zip(COLUMNS, row, strict=True):
            by_dept[d] += [Point(d, theme, sub)] * n
    for d, (main, follow) in TABLE1.items():
        if len(by_dept[d]) != main + follow:
            raise ValueError(f"Tabel 2 has {len(by_dept[d])} points for {d}, Tabel 1 {main + follow}")
    return by_dept


def _take(points: list[Point], p: Point) -> None:
    for i, q in enumerate(points):
        if q == p:
            del points[i]
            return
    raise ValueError(f"a case uses a point the tables do not have: {p}")


def _attach(rng: random.Random, follow: list[Point], hosts: list[_Draft], cross: float) -> None:
    """Attach each follow-up point to an inquiry: mostly one of its own department."""
    for p in follow:
        own = [h for h in hosts if h.main.department == p.department]
        related = [h for h in hosts if h.main.department in RELATED.get(p.department, ())]
        pools = [related, own] if rng.random() < cross else [own, related]
        pools.append(hosts)
        for pool in pools:
            fit = [h for h in pool if len(h.follow_up) < 3 and not h.has(p)]
            if fit:
                weights = [1.0 / (1 + 2 * len(h.follow_up)) for h in fit]
                rng.choices(fit, weights)[0].follow_up.append(p)
                break
        else:  # pragma: no cover - the tables leave plenty of room
            raise ValueError(f"no inquiry can take the follow-up {p}")


def _assign_kinds(rng: random.Random, drafts: list[_Draft], complaints: int) -> None:
    free = [d for d in drafts if d.case is None]
    want = complaints - sum(1 for d in drafts if d.case is not None and d.case.kind == "complaint")
    weights = []
    for d in free:
        w = COMPLAINT_WEIGHT.get(d.main.theme, 0.5)
        weights.append(w * (0.5 if d.main.department == OVR else 1.0))
    chosen = set(_weighted_sample(rng, weights, want))
    for i, d in enumerate(free):
        d.kind = "complaint" if i in chosen else "inquiry"


def _published_drafts(rng: random.Random) -> list[_Draft]:
    """The 162 inquiries of 2024/25 whose points are exactly Tabel 1 and 2."""
    pool = published_points()
    main_left = {d: TABLE1[d][0] for d in COLUMNS}
    follow_left = {d: TABLE1[d][1] for d in COLUMNS}
    drafts: list[_Draft] = []
    for case in CASES:
        draft = _Draft(_point(case.main), [_point(f) for f in case.follow_up], case.kind, case)
        _take(pool[draft.main.department], draft.main)
        main_left[draft.main.department] -= 1
        for f in draft.follow_up:
            _take(pool[f.department], f)
            follow_left[f.department] -= 1
        drafts.append(draft)

    follow: list[Point] = []
    for d in COLUMNS:
        points = pool[d]
        weights = [FOLLOW_UP_PRONE.get(p.subtheme or "", 1.0) for p in points]
        picked = set(_weighted_sample(rng, weights, follow_left[d]))
        mains = [p for i, p in enumerate(points) if i not in picked]
        if len(mains) != main_left[d]:
            raise ValueError(f"{d}: {len(mains)} main points left, Tabel 1 needs {main_left[d]}")
        drafts += [_Draft(p) for p in mains]
        follow += [p for i, p in enumerate(points) if i in picked]

    rng.shuffle(follow)
    _attach(rng, follow, [d for d in drafts if d.case is None], cross=0.2)
    _assign_kinds(rng, drafts, KINDS_2024["complaint"])
    return drafts


def _allocate(rng: random.Random, total: int, weights: list[float]) -> list[str]:
    """``total`` departments in proportion to ``weights`` (largest remainder), shuffled."""
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - weights[i] * scale)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    out = [d for d, k in zip(COLUMNS, counts, strict=True) for _ in range(k)]
    rng.shuffle(out)
    return out


def _synthetic_drafts(rng: random.Random, label: str) -> list[_Draft]:
    """An earlier period on the level of 2024/25, drawn from the RNG alone."""
    n = rng.randint(152, 172)
    n_follow = rng.randint(max(28, 192 - n), min(46, 212 - n))
    factor = {d: rng.uniform(0.85, 1.15) for d in COLUMNS}
    if label == "2023/24":  # the report: fewer inquiries about Børn & Familie that year
        factor[BF] *= 0.7

    subthemes = [(t.name, s) for t in DEFAULT_THEMES for s in t.subthemes]
    cell_weights: dict[str, list[float]] = {}
    for col, d in enumerate(COLUMNS):
        ws = []
        for theme, sub in subthemes:
            w = TABLE2[(theme, sub)][col] + 0.15
            if sub == "Åbenhed og tillid":  # it grew in 2024/25
                w *= 0.5
            if label == "2023/24" and sub in (
                "Sagsbehandlingstid og manglende svar", "Opfølgning",
                "Orientering om sagens gang eller status",
            ):  # nearly half of Forvaltningsskik the year before
                w *= 2.2
            ws.append(w)
        cell_weights[d] = ws

    def draw(dept: str, follow: bool = False) -> Point:
        ws = cell_weights[dept]
        if follow:
            ws = [w * FOLLOW_UP_PRONE.get(s, 1.0) for w, (_t, s) in zip(ws, subthemes, strict=True)]
        theme, sub = rng.choices(subthemes, ws)[0]
        return Point(dept, theme, sub)

    main_weights = [TABLE1[d][0] * factor[d] for d in COLUMNS]
    follow_weights = [TABLE1[d][1] * factor[d] + 0.3 for d in COLUMNS]
    drafts = [_Draft(draw(d)) for d in _allocate(rng, n, main_weights)]
    follow = [draw(d, follow=True) for d in _allocate(rng, n_follow, follow_weights)]
    _attach(rng, follow, drafts, cross=0.2)
    complaints = round(n * rng.uniform(0.46, 0.54))
    _assign_kinds(rng, drafts, complaints)
    return drafts


# ---------------------------------------------------------------------------
# From drafts to records.


class _Writer:
    """Turns drafts into records: ids, dates, text, citizens."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    # -- ids and dates -------------------------------------------------------
    def new_id(self, received: date) -> str:
        while True:
            rid = f"{received.isoformat()}-" + "".join(self.rng.choice(ID_ALPHABET) for _ in range(4))
            if rid not in self.taken:
                self.taken.add(rid)
                return rid

    def dates(self, period: Period, n: int) -> list[date]:
        """``n`` weekdays in the period, sorted; fewer in July and around Christmas."""
        days, weights = [], []
        d = period.start
        while d <= period.end:
            if d.weekday() < 5:
                days.append(d)
                w = 1.0
                if d.month == 7:
                    w = 0.4
                elif (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 2):
                    w = 0.3
                weights.append(w)
            d += timedelta(days=1)
        return sorted(self.rng.choices(days, weights, k=n))

    def closing(self, received: date) -> date:
        days = min(60, 3 + int(self.rng.expovariate(1 / 14)))
        closed = received + timedelta(days=days)
        while closed.weekday() >= 5:
            closed += timedelta(days=1 if days < 58 else -1)
        return min(closed, LAST_CLOSING)

    # -- text ----------------------------------------------------------------
    def unit(self, p: Point, applied: bool = False) -> tuple[str, str]:
        """A unit of the point's department and what it is about; with ``applied``
        something one applies for."""
        units = UNITS[p.department]
        hint = UNIT_HINTS.get((p.department, p.subtheme))
        if hint is not None and self.rng.random() < 0.7:
            units = tuple(u for u in units if u[0] == hint)
        if applied:
            units = tuple((u, tuple(a for a in areas if not a.startswith("~"))) for u, areas in units)
            units = tuple(u for u in units if u[1])
        unit, areas = self.rng.choice(units)
        return unit, self.rng.choice(areas).lstrip("~")

    def person(self, department: str) -> tuple[str, str]:
        return self.rng.choice(PEOPLE.get(department, PEOPLE_GENERAL))

    def text(self, draft: _Draft) -> tuple[str, str]:
        rng = self.rng
        if draft.case is not None:
            return draft.case.title, draft.case.notes
        titles, openings = TEXTS[draft.main.subtheme or ""]
        title_t, opening_t = rng.choice(titles), rng.choice(openings)
        applied = draft.kind == "complaint-help" or _needs_application(title_t + opening_t)
        unit, area = self.unit(draft.main, applied)
        who, ref = self.person(draft.main.department)
        ctx = {"who": who, "ref": ref, "Ref": _cap(ref), "area": area, "unit": unit}
        if draft.kind == "complaint-help":
            title = rng.choice(HELP_TITLES).format(**ctx)
            return _cap(title), rng.choice(HELP_NOTES).format(**ctx)
        title = _cap(title_t.format(**ctx))
        sentences = [_cap(opening_t.format(**ctx))]
        if draft.follow_up:
            f = rng.choice(draft.follow_up)
            f_unit = unit if f.department == draft.main.department else self.unit(f)[0]
            sentences.append(_cap(FOLLOW_TEXTS[f.subtheme or ""].format(
                Ref=_cap(ref), ref=ref, unit=f_unit)))
        specific = SPECIFIC_ACTIONS.get(draft.main.subtheme or "")
        if draft.main.department == OVR:
            action = rng.choice(ACTIONS_OTHER_AUTHORITY)
        elif draft.kind == "complaint" and specific and rng.random() < 0.6:
            action = rng.choice(specific)
        elif draft.kind == "inquiry" and draft.main.theme in THEME_ACTIONS and rng.random() < 0.5:
            action = rng.choice(THEME_ACTIONS[draft.main.theme])
        else:
            action = rng.choice(ACTIONS[draft.kind])
        sentences.append(_cap(action.format(**ctx)))
        if len(sentences) < 3:
            outcome = rng.choice(OUTCOMES).format(**ctx)
            if outcome:
                sentences.append(outcome)
        return title, " ".join(sentences)

    def citizen(self) -> Citizen:
        rng = self.rng
        first, last = rng.choice(CITIZEN_FIRST), rng.choice(CITIZEN_LAST)
        name = f"{first} {rng.choice('ABCDEFGHJKLMNP')}. {last}"
        email = f"{first}.{last}@borger.example".lower().replace("ø", "oe")  # a reserved TLD
        phone = f"00 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}" if rng.random() < 0.6 else ""
        return Citizen(name=name, phone=phone, email=email if rng.random() < 0.7 else "")

    # -- records -------------------------------------------------------------
    def inquiries(self, period: Period, drafts: list[_Draft], n_open: int) -> list[Inquiry]:
        rng = self.rng
        order = list(drafts)
        rng.shuffle(order)
        dates = self.dates(period, len(order))
        # Cases are settled stories: keep them out of the last few, which stay open.
        cases = [d for d in order if d.case is not None]
        rest = [d for d in order if d.case is None]
        slots = sorted(rng.sample(range(len(order) - n_open - 5), len(cases)))
        for slot, case in zip(slots, cases, strict=True):
            rest.insert(slot, case)
        channels, channel_weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
        out = []
        for i, (draft, received) in enumerate(zip(rest, dates, strict=True)):
            is_open = i >= len(rest) - n_open
            title, notes = self.text(draft)
            if is_open:  # an open case is not closed yet, whatever the drawn outcome says
                notes = notes.replace(" " + OUTCOMES[0], "")
            citizen = None
            if draft.case is None and rng.random() < 0.15:
                citizen = self.citizen()
            channel = draft.case.channel if draft.case else rng.choices(channels, channel_weights)[0]
            out.append(Inquiry(
                id=self.new_id(received),
                received=received,
                kind=draft.kind,
                status="open" if is_open else "closed",
                closed=None if is_open else self.closing(received),
                channel=channel,
                title=title,
                notes=notes,
                main=draft.main,
                follow_up=tuple(draft.follow_up),
                citizen=citizen,
            ))
        return out

    def appeals(self, period: Period, decisions: list[tuple[str, str, tuple[str, ...]]],
                old_name_until: date | None) -> list[Appeal]:
        """Appeal records for ``(department, outcome, remarks)``; BAE under its old name
        for decisions received before ``old_name_until``."""
        rng = self.rng
        order = list(decisions)
        rng.shuffle(order)
        out = []
        for (dept, outcome, remarks), received in zip(order, self.dates(period, len(order)), strict=True):
            if dept == BAE and old_name_until is not None and received < old_name_until:
                dept = BAE_OLD
            if outcome == "rejected":
                result = "Afvist"
            elif outcome == "remarks":
                result = rng.choices(("Stadfæstet", "Ændret", "Hjemvist"), (35, 25, 40))[0]
            else:
                result = rng.choices(("Stadfæstet", "Ændret", "Hjemvist"), (70, 20, 10))[0]
            unit, area = self.unit(Point(BAE if dept == BAE_OLD else dept, "", None), applied=True)
            note = rng.choice(APPEAL_NOTES[outcome]).format(area=area, unit=unit)
            if remarks and rng.random() < 0.5:
                note = REMARK_NOTES[rng.choice(remarks)]
            out.append(Appeal(
                id=self.new_id(received), received=received, board=BOARD, department=dept,
                outcome=outcome, remarks=remarks, result=result, notes=note,
            ))
        return out


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


_APPLICATION_WORDS = ("afslag på {area}", "ansøgning", "søges om {area}", "egenbetaling",
                      "tildelte hjælp", "skåret ned", "serviceniveau", "ventetiden på",
                      "omfanget af {area}")


def _needs_application(template: str) -> bool:
    """Whether a text template only fits something one applies for."""
    return any(w in template.lower() for w in _APPLICATION_WORDS)


def published_decisions() -> list[tuple[str, str, tuple[str, ...]]]:
    """The 64 decisions of Tabel 3, with the remarks of Tabel 4 dealt out among them.

    The remarks of a department are dealt round-robin, one theme after the
    other, over its decisions with remarks: each gets at least one remark and
    never the same one twice.
    """
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for dept, (no_remarks, with_remarks, rejected) in TABLE3.items():
        out += [(dept, "no-remarks", ())] * no_remarks
        dealt: list[list[str]] = [[] for _ in range(with_remarks)]
        flat = [r for r, n in zip(REMARKS, TABLE4[dept], strict=True) for _ in range(n)]
        if with_remarks and (len(flat) < with_remarks or max(TABLE4[dept]) > with_remarks):
            raise ValueError(f"Tabel 4 does not fit Tabel 3 for {dept}")
        for i, remark in enumerate(flat):
            dealt[i % with_remarks].append(remark)
        out += [(dept, "remarks", tuple(sorted(r, key=REMARKS.index))) for r in dealt]
        out += [(dept, "rejected", ())] * rejected
    return out


def _synthetic_decisions(rng: random.Random) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for _ in range(rng.randint(52, 68)):
        dept = rng.choices((BF, BAE, ESS, DS), (30, 42, 26, 2))[0]
        outcome = rng.choices(("no-remarks", "remarks", "rejected"), (50, 43, 7))[0]
        remarks: tuple[str, ...] = ()
        if outcome == "remarks":
            k = rng.choices((1, 2, 3), (60, 32, 8))[0]
            # as in 2024/25: mostly reasons and investigation, seldom the time taken
            remarks = tuple(REMARKS[i] for i in _weighted_sample(rng, [0.45, 0.45, 0.15], k))
        out.append((dept, outcome, remarks))
    return out


def _help_drafts(rng: random.Random, n: int) -> list[_Draft]:
    return [_Draft(_point(rng.choice(HELP_POINTS)), kind="complaint-help") for _ in range(n)]


# ---------------------------------------------------------------------------


def demo_records(language: str = "da") -> tuple[list[Inquiry], list[Appeal]]:
    """Every record of the demo folder, the same every time."""
    rng = random.Random(SEED)
    writer = _Writer(rng)
    start = default_settings(language).period_start
    inquiries: list[Inquiry] = []
    appeals: list[Appeal] = []
    for label in EARLIER_PERIODS:
        period = parse_period(label, start)
        drafts = _synthetic_drafts(rng, label) + _help_drafts(rng, rng.randint(8, 15))
        batch = writer.inquiries(period, drafts, n_open=0)
        if label == "2022/23":  # written before the department got its new name
            batch = [_old_name(r) for r in batch]
        inquiries += batch
        appeals += writer.appeals(period, _synthetic_decisions(rng), old_name_until=period.next().start)
    period = parse_period(PUBLISHED_PERIOD, start)
    drafts = _published_drafts(rng) + _help_drafts(rng, COMPLAINT_HELP_2024)
    inquiries += writer.inquiries(period, drafts, n_open=OPEN_2024)
    appeals += writer.appeals(period, published_decisions(), old_name_until=date(2024, 10, 1))
    return inquiries, appeals


def _old_name(r: Inquiry) -> Inquiry:
    def rename(p: Point) -> Point:
        return Point(BAE_OLD, p.theme, p.subtheme) if p.department == BAE else p

    return replace(r, main=rename(r.main), follow_up=tuple(rename(p) for p in r.follow_up))


def write_demo(root: Path | str, language: str = "da") -> DataFolder:
    """Write the demo data folder at ``root``, which must be new or empty."""
    root = Path(root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f"{root} exists and is not empty")
    folder = DataFolder.init(root, default_settings(language))
    inquiries, appeals = demo_records(language)
    for record in (*inquiries, *appeals):
        folder.save(record)
    return folder
