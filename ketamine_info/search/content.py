"""content/synonyms/<key>.yaml: a term the pages use and the words people type for it."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Synonym


class SynonymKind(ContentKind):
    name = "synonyms"
    model = Synonym
    fields = (
        FieldSpec("term"),
        FieldSpec("variants", "str_list"),
    )
