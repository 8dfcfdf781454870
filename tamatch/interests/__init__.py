"""Interests: partners mark open needs they would like to support, and keep needs searches."""

from flask import Blueprint

bp = Blueprint("interests", __name__)
