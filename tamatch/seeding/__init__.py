"""Seed data: reference tables, demo accounts and content, synthetic data at scale."""

from tamatch.seeding.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, load_demo
from tamatch.seeding.recommendations import RecommendationSeed, insert_recommendations
from tamatch.seeding.reference import SEEDS_DIR, StateResolver, load_reference, state_resolver
from tamatch.seeding.synthetic import generate_bench_data, generate_synthetic

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "SEEDS_DIR",
    "DemoAccount",
    "RecommendationSeed",
    "StateResolver",
    "generate_bench_data",
    "generate_synthetic",
    "insert_recommendations",
    "load_demo",
    "load_reference",
    "state_resolver",
]
