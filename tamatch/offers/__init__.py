"""Offers: what partners can give."""

from flask import Blueprint

bp = Blueprint("offers", __name__)
