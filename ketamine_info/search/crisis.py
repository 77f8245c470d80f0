"""Does a search suggest someone may be in crisis? Then the results page shows crisis help first.

The phrases live here, in code, on purpose: staff edit synonyms and best bets in the admin, but
nothing they edit can stop a search for "I want to die" from putting 988 and 911 first. A false
alarm costs a box of phone numbers above the results; a miss could cost far more, so the
matching is generous: plain words, passive and indirect ones ("no point living", "everyone
would be better off without me", "I don't want to wake up"), a search for a way ("lethal
dose", "how many pills to die"), misspellings of the key words, words run together
("killmyself"), common slang, and Spanish (with or without accents, "k" for "qu", passive
ones such as "no aguanto más" or "mejor muerto") are all caught, on either language's search
page. tests/search/crisis_phrasings.yaml lists what must and must not bring the crisis box, in
English and in Spanish.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Long key words are matched with typing mistakes allowed (a swap of two letters counts as
# one); each stands for its family. "overdose" allows one, or "overdue" would count.
_FUZZY = {
    "suicide": (("suicide", "suicidal", "suicides", "suicidality"), 2),
    "overdose": (("overdose", "overdosed", "overdosing", "overdoses"), 1),
    "hopeless": (("hopeless", "hopelessness"), 1),
    "myself": (("myself",), 1),
    "worthless": (("worthless",), 1),
    # One step only: "subsidio" (a subsidy) is two from "suicidio".
    "suicidio": (("suicidio", "suicida", "suicidas", "suicidarme", "suicidarse"), 1),
}
# Short words are matched only as spelled here (too many real words lie one letter away).
_EXACT = {
    "kill": ("kill", "kil", "kll", "killing", "kiling", "killin", "kills"),
    "die": ("die", "dye", "dying", "dieing", "died"),
    "dead": ("dead", "ded"),
    "want": ("want", "wanna", "wnat", "wants", "wanting", "wan", "wamt", "wnt", "whant", "wana"),
    "life": ("life", "lyfe", "lif", "lifes"),
    "live": ("live", "living", "liv", "livin"),
    "myself": ("myself", "meself", "myslef", "mysef", "mysel", "mself", "urself", "yourself"),
    "overdose": ("od", "oding", "oded", "ods", "overdo"),
    "suicide": (
        "sucide",
        "suicde",
        "suiside",
        "sucidal",
        "suicid",
        "kms",
        "kys",
        "unalive",
        "unalived",
        "sewerslide",
        "suicidial",
    ),
    "point": ("point", "pointt", "piont", "poit"),
    "lethal": ("lethal", "leathal", "lethel", "lethol", "letal"),
    # Spanish typed on a phone: "k" or "q" for "qu".
    "quiero": ("quiero", "kiero", "qiero", "kero", "quero"),
}
_PHRASES = [
    # Plain words
    r"suicide",
    r"overdose",
    r"hopeless",
    r"worthless",
    r"(kill|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|drown|poison|end|starve|"
    r"burn|stab) myself",
    r"self (harm|harming|harmed|injury|injure|injuring|hurt|hurting|mutilation)",
    r"selfharm\w*",
    r"(want|wish|wishing|ready|going|plan|planning|need|deserve|deserves|rather|like) "
    r"(i )?(to )?(just )?die",
    r"(wish i (was|were)|better off|rather be|want to be|be better|should be) dead",
    r"(end|ending|take|taking|ended) (my|his|her|their) (own )?life",
    r"end(ing)? (it|things|everything)( all)?( now| tonight| today)?$",
    r"end(ing)? it all",
    r"(want to|going to|gonna|just|how to|ready to|thinking about|think about) end(ing)? "
    r"(it|things|everything)",
    r"(want|wants) (it|everything|this|the pain) (all )?to (end|stop)",
    # Passive and indirect: no reason to go on, not wanting to be here
    r"(dont|do not|not|no longer|never) (want|wanna) (to )?(live|be alive|be here|exist|"
    r"wake up|be around|keep living|go on|carry on)",
    r"(wish|hope) i (would not|wouldnt|didnt|did not|never|dont|do not|wont|will not) wake up",
    r"(sleep|go to sleep) and never wake up",
    r"no (reason|point|purpose|will) ((to|in|of|for) )?(live|living|life|go on|going on|keep going|"
    r"carry on|carrying on|be alive|being alive|being here|anything)",
    r"(whats|what is|is there any) (the )?point (of|in) (living|life|going on|being alive|"
    r"anything)",
    r"(nothing|no one|nobody) (left )?to live for",
    r"(lost|losing|no) (the |my )?will to live",
    r"(not|isnt|aint|never|no longer) (really )?worth (living|it anymore|being alive)",
    r"life (is|feels|seems) (not worth|pointless|meaningless|over|too hard to)",
    r"(cant|cannot|can not) (go on|keep going|do this anymore|take it anymore|take this anymore|"
    r"live like this|cope anymore|carry on)",
    r"(tired|sick|done) (of|with) (living|life|being alive|existing)",
    r"(give|giving|gave) up on (life|living)",
    r"(hate|hating) (my life|being alive|living)",
    r"better off (without me|if i (was|were|am) (gone|dead|not here|not around)|if i died)",
    r"(im|i am|being) (a|such a) burden",
    r"wish i (was|were|had) never (been )?born",
    r"(wish|want) i (wasnt|was not|werent|were not) (alive|here|around)",
    r"want to (disappear|vanish) (forever|for good)",
    r"feel(ing)? like (dying|ending it)",
    r"thoughts? (of|about) (dying|death|ending)",
    # Looking for a way
    r"(how (many|much)|what (amount|dose|number)) .*\b(die|kill|dead|lethal|fatal|deadly|"
    r"overdose)\b",
    r"(lethal|fatal|deadly|toxic|killing) (dose|doses|amount|level|quantity)",
    r"ld ?50",
    r"(how to|ways to|way to|best way to|easiest way to|quickest way to|fastest way to|"
    r"painless way to|help me) (die|kill|end it|overdose|hang|disappear forever)",
    r"(painless|peaceful|quick|easy) (death|way out|suicide)",
    r"(can|could|will|would) (ketamine|it|this|esketamine|spravato|pills?) kill (you|me|someone)",
    r"(take|taking|swallow|swallowing) all (of )?my (pills|meds|medicine|medicines|tablets)",
    r"(jump|jumping) (off|from|in front)",
    r"slit (my )?wrists?",
    r"noose",
    r"need help now",
]
_PHRASE_RE = re.compile(r"\b(" + "|".join(_PHRASES) + r")\b")
# Spanish: the words, with their accents taken off (the 988 line has a Spanish option).
_SPANISH = [
    r"suicid\w*",
    r"(quiero|quisiera|deseo|ganas de|voy a|pienso en|pensando en|want|wanna|want to) "
    r"(morir|morirme|matarme|suicidarme|desaparecer|quitarme la vida|acabar con mi vida)",
    r"me (quiero|voy a) (morir|matar|suicidar|ahorcar|colgar|tirar)",
    r"(matarme|suicidarme|quitarme la vida|hacerme dano|lastimarme|cortarme|autolesion\w*|"
    r"ahorcarme|tirarme (de|del|desde|por|a) )",
    r"(acabar|terminar|poner fin) (con|a) (mi vida|todo)",
    r"me (estoy )?(corto|cortando|corte)( (los|las|mis) (brazos|venas|munecas|piernas)|"
    r" otra vez| de nuevo|$)",
    r"me (estoy )?(lastimando|haciendo dano)|me (lastimo|hago dano|hice dano)$",
    # Passive and indirect: no reason to go on, not wanting to wake up or be here
    r"no (quiero|deseo) (vivir|seguir viviendo|despertar|estar aqui|existir|seguir)",
    r"(dormir|dormirme) y (no|nunca) (volver a )?despertar",
    r"(dejar de|no quiero) existir",
    r"(no vale la pena|no tiene sentido) (vivir|la vida|seguir)",
    r"(la|mi) vida no (tiene sentido|tiene valor|vale nada|vale la pena)",
    r"(sin|ninguna|no tengo|no hay) (razon|razones|motivo|motivos) para (vivir|seguir)",
    r"(nada|nadie) (por|para) (que|quien|lo que) vivir|no tengo por (que|quien) vivir",
    r"(perdi|he perdido|pierdo|sin|no tengo) (las |mis )?ganas de vivir",
    r"(cansado|cansada|harto|harta) de (vivir|la vida|existir|estar vivo|estar viva)",
    r"(ya no puedo mas|no puedo seguir|estarian mejor sin mi|mejor sin mi|sin esperanza)",
    r"(ya )?no (aguanto|soporto) (mas|esto|la vida)|ya no (aguanto|soporto)$",
    r"mejor muert[oa]s?|(estar|estuviera|estuviese|este|estaria) muert[oa]",
    r"soy una carga",
    r"nadie me (extranaria|echaria de menos|va a extranar)",
    r"(ojala|quisiera|desearia) no (haber|hubiera|hubiese) nacido",
    # Looking for a way
    r"(sobredosis|dosis (letal|mortal|para morir))",
    r"(cuanto|cuanta|cuantos|cuantas|que cantidad) .*\b(morir|matarme|muerto|muerta|letal|"
    r"mortal)",
    r"(tomarme|tragarme) todas (las|mis) (pastillas|pildoras|medicinas|medicamentos)",
    r"(como|forma de|formas de|manera de) (matarme|suicidarme|morir sin dolor)",
    r"(necesito ayuda|ayuda urgente)",
]
_SPANISH_RE = re.compile(r"\b(" + "|".join(_SPANISH) + r")\b")
# Phrases typed without spaces.
_JOINED_RE = re.compile(
    r"killmyself|wanttodie|wannadie|endmylife|selfharm|hurtmyself|nopointliving|"
    r"nopointinliving|notworthliving|cantgoon|betteroffdead|betteroffwithoutme|dontwanttolive|"
    r"dontwanttowakeup|takemylife|endmylife|endingitall|endit(all|now)|lethaldose|quieromorir|"
    r"suicid|mequieromorir|mequieromatar|quieromatarme|noquierovivir"
)
_WORD_RE = re.compile(r"[a-z0-9]+")


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, replace, or swap two neighbours: one step each), or
    ``limit + 1`` as soon as it is known to be over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)  # patients' words repeat; the fuzzy match is 50 µs a word
def _canonical(word: str) -> str:
    for canon, spellings in _EXACT.items():
        if word in spellings:
            return canon
    if len(word) >= 6:
        for canon, (forms, limit) in _FUZZY.items():
            if any(distance(word, form, limit) <= limit for form in forms):
                return canon
    return word


def suggests_crisis(text: str | None) -> bool:
    """True when the words of ``text`` suggest suicide, self-harm, overdose or despair."""
    if not text:
        return False
    # "¿Quiero morir?" → "quiero morir": accents off, as many people type them on a phone.
    unaccented = unicodedata.normalize("NFKD", text.lower())
    lowered = "".join(c for c in unaccented if not unicodedata.combining(c))
    lowered = lowered.replace("'", "").replace("\u2019", "")
    lowered = re.sub(r"(.)\1{2,}", r"\1\1", lowered)  # "diiiie" → "diie"
    words = _WORD_RE.findall(lowered)[:200]
    if not words:
        return False
    typed = " ".join(words)
    canonical = " ".join(_canonical(w) for w in words)
    canonical = re.sub(r"\bmy self\b", "myself", canonical)
    # Phrases are looked for in the words as typed and with their spellings made regular
    # ("wanna dye" → "want die"), so a pattern may name either form.
    return bool(
        _PHRASE_RE.search(canonical)
        or _PHRASE_RE.search(typed)
        or _SPANISH_RE.search(typed)
        or _SPANISH_RE.search(canonical)
        or _JOINED_RE.search("".join(words))
    )
