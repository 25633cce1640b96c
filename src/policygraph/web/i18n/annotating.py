"""The words of signing in to write annotations."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "sign_in": "Aanmelden",
        "sign_in_help": "Plak het token dat u kreeg toen uw account werd gemaakt. Het blijft in "
        "deze browser tot u zich afmeldt, zodat u oordelen kunt vastleggen bij de secties.",
        "sign_in_token": "Token",
        "sign_out": "Afmelden",
    },
    "en": {
        "sign_in": "Sign in",
        "sign_in_help": "Paste the token you were given when your account was made. It stays in "
        "this browser until you sign out, so that you can record verdicts on the sections.",
        "sign_in_token": "Token",
        "sign_out": "Sign out",
    },
}
