"""content/synonyms/<key>.yaml: a term the pages use and the words people type for it. Best
bets are made in the admin only (they name rows by their id)."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import BestBet, Synonym


class SynonymKind(ContentKind):
    """Every search reads every synonym: it changes which pages a search finds."""

    name = "synonyms"
    model = Synonym
    load_order = 100
    covers = ("search.SynonymPhrase",)
    fields = (
        FieldSpec("term"),
        FieldSpec("variants", "str_list"),
    )


class BestBetKind(ContentKind):
    """A search with its words shows the chosen page first."""

    name = None
    model = BestBet
    load_order = 110


KINDS = [SynonymKind, BestBetKind]
