"""Recommendations: the searchable list, detail pages and imports."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__)
