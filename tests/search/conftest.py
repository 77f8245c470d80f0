import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def spanish_search(settings) -> str:
    """The Spanish search page's address (/es/buscar/ once the addresses are translated), with
    its query parameters kept by the page cache as the English page's are."""
    with translation.override("es"):
        address = reverse("search:results")
    assert address.startswith("/es/")
    if address not in settings.PAGE_QUERY_PARAMETERS:
        # Only while the Spanish first parts are untranslated (/es/search/): settings list the
        # translated address.
        settings.PAGE_QUERY_PARAMETERS = {
            **settings.PAGE_QUERY_PARAMETERS,
            address: settings.PAGE_QUERY_PARAMETERS["/search/"],
        }
    return address
