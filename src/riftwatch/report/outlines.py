"""Rough outlines of Afghanistan and Pakistan and reference cities, for the report's map.

Hand-drawn for riftwatch from approximate border vertices (lon, lat in degrees, about
20–40 km accuracy): enough to see on which side of the Durand Line and in which province
an event happened, not for measurement. Pakistan's outline follows the areas it
administers. City coordinates are public facts (GeoNames, rounded).
"""

from __future__ import annotations

AFG: list[tuple[float, float]] = [
    (60.9, 34.4), (61.2, 35.65), (62.3, 35.3), (63.1, 35.8), (64.5, 36.3), (65.6, 37.3),
    (66.5, 37.4), (67.8, 37.2), (68.9, 37.3), (69.5, 37.6), (70.3, 38.0), (71.2, 37.9),
    (71.6, 37.0), (72.6, 37.0), (73.9, 37.4), (74.9, 37.2), (73.7, 36.9), (71.8, 36.5),
    (71.2, 36.0), (71.6, 35.2), (71.1, 34.4), (70.0, 34.0), (69.9, 33.6), (70.3, 33.3),
    (69.5, 33.0), (69.3, 31.9), (68.6, 31.7), (67.8, 31.5), (66.9, 31.3), (66.4, 30.9),
    (66.3, 29.9), (64.2, 29.5), (62.5, 29.4), (60.9, 29.9), (61.8, 30.8), (61.7, 31.4),
    (60.9, 31.5), (60.5, 32.2), (60.6, 33.5), (60.9, 34.4),
]  # fmt: skip

PAK: list[tuple[float, float]] = [
    (61.6, 25.2), (61.8, 26.2), (63.2, 26.6), (63.3, 27.2), (62.8, 27.3), (62.8, 28.3),
    (61.9, 28.6), (60.9, 29.9), (62.5, 29.4), (64.2, 29.5), (66.3, 29.9), (66.4, 30.9),
    (66.9, 31.3), (67.8, 31.5), (68.6, 31.7), (69.3, 31.9), (69.5, 33.0), (70.3, 33.3),
    (69.9, 33.6), (70.0, 34.0), (71.1, 34.4), (71.6, 35.2), (71.2, 36.0), (71.8, 36.5),
    (73.7, 36.9), (74.9, 37.2), (75.4, 36.9), (76.0, 35.7), (75.0, 34.6), (74.0, 34.0),
    (74.6, 32.6), (75.3, 32.3), (74.6, 31.1), (73.9, 30.4), (73.4, 29.9), (72.3, 28.0),
    (71.0, 27.9), (70.2, 27.5), (69.6, 26.7), (70.2, 26.0), (70.1, 25.3), (69.0, 24.3),
    (67.4, 23.9), (66.7, 24.8), (66.6, 25.4), (64.6, 25.2), (61.6, 25.2),
]  # fmt: skip

OUTLINES: dict[str, list[tuple[float, float]]] = {"AFG": AFG, "PAK": PAK}

COUNTRY_LABELS: list[tuple[str, float, float]] = [
    ("AFGHANISTAN", 65.0, 33.6),
    ("PAKISTAN", 69.0, 27.3),
    ("IRAN", 60.6, 27.5),
    ("INDIA", 76.0, 27.0),
    ("TAJIKISTAN", 71.0, 38.4),
    ("TURKMENISTAN", 61.5, 37.0),
]

CITIES: list[tuple[str, float, float]] = [
    # name, lon, lat
    ("Kabul", 69.17, 34.53),
    ("Kandahar", 65.71, 31.61),
    ("Herat", 62.20, 34.35),
    ("Mazar-i-Sharif", 67.11, 36.71),
    ("Jalalabad", 70.45, 34.43),
    ("Islamabad", 73.05, 33.69),
    ("Peshawar", 71.58, 34.01),
    ("Quetta", 66.99, 30.18),
    ("Karachi", 67.01, 24.86),
    ("Lahore", 74.35, 31.55),
]
