from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy (Django has no setting for it): the site needs no camera,
    microphone, location or payment features, so no page, or anything it embeds, gets them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
