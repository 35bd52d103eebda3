from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Speak the signed-in user's preferred language unless the language switch chose one (its cookie wins).

    Sits after LocaleMiddleware and AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            language = (
                getattr(user, "preferred_language", None)
                if getattr(user, "is_authenticated", False)
                else None
            )
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
