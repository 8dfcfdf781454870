"""The six UN languages: which one a page speaks, the switcher, the pseudo-locale, State names."""

from flask import Blueprint

bp = Blueprint("i18n", __name__)
