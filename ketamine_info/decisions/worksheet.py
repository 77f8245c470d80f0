"""The "weigh it up" exercise beside a decision aid: how much each trade-off matters, where the
person is leaning, the four SURE questions, a short knowledge check, and their own questions.

It is read from one POST and turned into a one-page summary to print or save as PDF. Nothing
is kept: no model, no session, no cookie, no log line with an answer in it. Every answer is
checked against the fixed choices below; free text is only a capped string that the template
escapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Lazy: the words are the page's language, worked out when a page shows them.
IMPORTANCE = (
    ("a-lot", gettext_lazy("Matters a lot")),
    ("some", gettext_lazy("Matters some")),
    ("not-much", gettext_lazy("Matters little")),
)

# The trade-offs that differ most between the options on the comparison page.
VALUES = (
    ("speed", gettext_lazy("Feeling better fast (days rather than weeks)")),
    ("lasting", gettext_lazy("How long the benefit lasts")),
    (
        "clinic-time",
        gettext_lazy("Little time in a clinic (visits, travel, waiting, not driving after)"),
    ),
    ("memory", gettext_lazy("Avoiding memory problems")),
    ("anesthesia", gettext_lazy("Avoiding anesthesia or needles")),
    ("cost", gettext_lazy("Cost, and what my health plan pays")),
    ("evidence", gettext_lazy("Strong evidence behind it")),
)

NOT_SURE = "not-sure"

# The SURE test of decisional conflict: a "no" to any question suggests the person is not yet
# ready to decide and needs more information or support.
SURE = (
    ("sure", gettext_lazy("Do you feel sure about the best choice for you?")),
    ("understand", gettext_lazy("Do you know the benefits and risks of each option?")),
    (
        "risk-benefit",
        gettext_lazy("Are you clear about which benefits and risks matter most to you?"),
    ),
    ("encouragement", gettext_lazy("Do you have enough support and advice to make a choice?")),
)
YES_NO = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No")))

FREE_TEXT_MAX = 600


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    choices: tuple[tuple[str, str], ...]
    right: str
    explanation: str
    source_key: str  # the registry source that says so, linked from the summary
    source_label: str


# Each right answer is a fact the comparison page states and cites; the explanation says where.
KNOWLEDGE = (
    Question(
        key="biggest-number",
        text=gettext_lazy(
            "Does the biggest number on the comparison show which option is best for you?"
        ),
        choices=YES_NO,
        right="no",
        explanation=gettext_lazy(
            "The numbers come from different studies, with different people, lengths "
            "of time and scales. No single study compared all seven options."
        ),
        source_key="",
        source_label="",
    ),
    Question(
        key="elektd-psychosis",
        text=gettext_lazy(
            "Did the largest trial of IV ketamine against ECT include people with psychotic "
            "depression?"
        ),
        choices=YES_NO,
        right="no",
        explanation=gettext_lazy(
            "ELEKT-D took only adults without psychosis. If you have psychotic "
            "depression, ask about ECT first."
        ),
        source_key="anand-2023-elektd",
        source_label=gettext_lazy("ELEKT-D (Anand and others, 2023)"),
    ),
    Question(
        key="esketamine-comparison",
        text=gettext_lazy("In the main esketamine trials, what did the comparison group get?"),
        choices=(
            ("nothing", gettext_lazy("No treatment")),
            ("pill-and-dummy", gettext_lazy("A new antidepressant pill and a dummy spray")),
            ("ect", gettext_lazy("ECT")),
        ),
        right="pill-and-dummy",
        explanation=gettext_lazy(
            "Everyone started a new antidepressant pill. The esketamine group added "
            "esketamine spray; the comparison group added a dummy spray."
        ),
        source_key="turkoz-2021-transform-pooled",
        source_label=gettext_lazy(
            "Pooled analysis of TRANSFORM-1 and -2 (Turkoz and others, 2021)"
        ),
    ),
    Question(
        key="anesthesia",
        text=gettext_lazy("Which option is given under general anesthesia each time?"),
        choices=(
            ("ect", gettext_lazy("ECT")),
            ("rtms", gettext_lazy("rTMS")),
            ("esketamine", gettext_lazy("Esketamine nasal spray")),
        ),
        right="ect",
        explanation=gettext_lazy("ECT is given under general anesthesia with a muscle relaxant."),
        source_key="bryson-2017-ect-anesthesia",
        source_label=gettext_lazy("Bryson and others, 2017"),
    ),
)


@dataclass
class Answers:
    values: list[tuple[str, str]] = field(default_factory=list)  # (trade-off, importance label)
    leaning: str = ""  # an option's name, or "Not sure yet", or ""
    sure: list[tuple[str, str]] = field(default_factory=list)  # (question, "Yes"/"No")
    knowledge: list[tuple[Question, str]] = field(default_factory=list)  # (question, answer key)
    own_questions: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def sure_all_yes(self) -> bool:
        return len(self.sure) == len(SURE) and all(
            a == dict(YES_NO)["yes"] for _question, a in self.sure
        )

    @property
    def sure_no(self) -> list[str]:
        return [q for q, a in self.sure if a == dict(YES_NO)["no"]]

    @property
    def answered_anything(self) -> bool:
        return bool(
            self.values or self.leaning or self.sure or self.knowledge or self.own_questions
        )


def _pick(data, name: str, choices, errors: list[str], what: str) -> str:
    """The chosen value's key, "" when left blank; an unknown value is an error."""
    value = data.get(name, "")
    if value == "":
        return ""
    if value not in dict(choices):
        errors.append(
            _("The answer to “%(question)s” was not one of the choices.") % {"question": what}
        )
        return ""
    return value


def read(data, options: list[str]) -> Answers:
    answers = Answers()
    errors = answers.errors
    labels = dict(IMPORTANCE)
    for key, text in VALUES:
        picked = _pick(data, f"value-{key}", IMPORTANCE, errors, text)
        if picked:
            answers.values.append((text, labels[picked]))
    leaning_choices = [(str(i), name) for i, name in enumerate(options, 1)]
    leaning_choices.append((NOT_SURE, gettext_lazy("Not sure yet")))
    picked = _pick(data, "leaning", leaning_choices, errors, _("Where are you leaning?"))
    answers.leaning = dict(leaning_choices).get(picked, "")
    for key, text in SURE:
        picked = _pick(data, f"sure-{key}", YES_NO, errors, text)
        if picked:
            answers.sure.append((text, dict(YES_NO)[picked]))
    for question in KNOWLEDGE:
        picked = _pick(data, f"know-{question.key}", question.choices, errors, question.text)
        if picked:
            answers.knowledge.append((question, picked))
    text = data.get("own-questions", "")
    if len(text) > FREE_TEXT_MAX:
        errors.append(
            _("Your questions are too long: keep them under %(max)s characters.")
            % {"max": FREE_TEXT_MAX}
        )
    else:
        answers.own_questions = text.strip()
    return answers
