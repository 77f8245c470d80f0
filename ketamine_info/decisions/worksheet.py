"""The "weigh it up" exercise beside a decision aid: how much each trade-off matters, where the
person is leaning, the four SURE questions, a short knowledge check, and their own questions.

It is read from one POST and turned into a one-page summary to print or save as PDF. Nothing
is kept: no model, no session, no cookie, no log line with an answer in it. Every answer is
checked against the fixed choices below; free text is only a capped string that the template
escapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMPORTANCE = (("a-lot", "Matters a lot"), ("some", "Matters some"), ("not-much", "Matters little"))

# The trade-offs that differ most between the options on the comparison page.
VALUES = (
    ("speed", "Feeling better fast (days rather than weeks)"),
    ("lasting", "How long the benefit lasts"),
    ("clinic-time", "Little time in a clinic (visits, travel, waiting, not driving after)"),
    ("memory", "Avoiding memory problems"),
    ("anesthesia", "Avoiding anesthesia or needles"),
    ("cost", "Cost, and what my health plan pays"),
    ("evidence", "Strong evidence behind it"),
)

NOT_SURE = "not-sure"

# The SURE test of decisional conflict: a "no" to any question suggests the person is not yet
# ready to decide and needs more information or support.
SURE = (
    ("sure", "Do you feel sure about the best choice for you?"),
    ("understand", "Do you know the benefits and risks of each option?"),
    ("risk-benefit", "Are you clear about which benefits and risks matter most to you?"),
    ("encouragement", "Do you have enough support and advice to make a choice?"),
)
YES_NO = (("yes", "Yes"), ("no", "No"))

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
        text="Does the biggest number on the comparison show which option is best for you?",
        choices=(("yes", "Yes"), ("no", "No")),
        right="no",
        explanation="The numbers come from different studies, with different people, lengths "
        "of time and scales. No single study compared all seven options.",
        source_key="",
        source_label="",
    ),
    Question(
        key="elektd-psychosis",
        text="Did the largest trial of IV ketamine against ECT include people with psychotic "
        "depression?",
        choices=(("yes", "Yes"), ("no", "No")),
        right="no",
        explanation="ELEKT-D took only adults without psychosis. If you have psychotic "
        "depression, ask about ECT first.",
        source_key="anand-2023-elektd",
        source_label="ELEKT-D (Anand and others, 2023)",
    ),
    Question(
        key="esketamine-comparison",
        text="In the main esketamine trials, what did the comparison group get?",
        choices=(
            ("nothing", "No treatment"),
            ("pill-and-dummy", "A new antidepressant pill and a dummy spray"),
            ("ect", "ECT"),
        ),
        right="pill-and-dummy",
        explanation="Everyone started a new antidepressant pill. The esketamine group added "
        "esketamine spray; the comparison group added a dummy spray.",
        source_key="turkoz-2021-transform-pooled",
        source_label="Pooled analysis of TRANSFORM-1 and -2 (Turkoz and others, 2021)",
    ),
    Question(
        key="anesthesia",
        text="Which option is given under general anesthesia each time?",
        choices=(("ect", "ECT"), ("rtms", "rTMS"), ("esketamine", "Esketamine nasal spray")),
        right="ect",
        explanation="ECT is given under general anesthesia with a muscle relaxant.",
        source_key="bryson-2017-ect-anesthesia",
        source_label="Bryson and others, 2017",
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
        return len(self.sure) == len(SURE) and all(a == "Yes" for _, a in self.sure)

    @property
    def sure_no(self) -> list[str]:
        return [q for q, a in self.sure if a == "No"]

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
        errors.append(f"The answer to “{what}” was not one of the choices.")
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
    leaning_choices.append((NOT_SURE, "Not sure yet"))
    picked = _pick(data, "leaning", leaning_choices, errors, "Where are you leaning?")
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
        errors.append(f"Your questions are too long: keep them under {FREE_TEXT_MAX} characters.")
    else:
        answers.own_questions = text.strip()
    return answers
