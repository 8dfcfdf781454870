"""Implementation planning: institutions, clusters, measures, indicators, calendar, reports."""

from flask import Blueprint

bp = Blueprint("planning", __name__)
