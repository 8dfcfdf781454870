"""The JSON API at /api/v1 for NMRF tracking databases and partners' systems."""

from flask import Blueprint

bp = Blueprint("api", __name__)
