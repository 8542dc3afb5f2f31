"""Writes reviews.csv, the toy sentiment set of examples/review-sentiment.nn.yaml (run: python3 make_reviews.py).

Short product reviews built from a few word lists, labelled positive or negative. Negation
("not", "never", "hardly") flips an opinion, and an opinion after "but" outweighs the one
before it, so the label depends on word order: a bag of words cannot tell "not bad, but slow"
from "slow, but not bad". Seeded, so the committed file is reproducible.
"""
import csv
import random

rng = random.Random(7)

THINGS = ["the battery", "this phone", "the screen", "delivery", "the sound", "the price", "customer service",
          "the camera", "the fabric", "the app", "the charger", "the keyboard", "this kettle", "the manual",
          "the strap", "the lens", "the speaker", "the packaging", "the fit", "the colour"]
GOOD = ["good", "great", "excellent", "lovely", "fantastic", "reliable", "sturdy", "comfortable", "fast", "bright",
        "solid", "pleasant", "smooth", "clear", "superb"]
BAD = ["bad", "awful", "terrible", "poor", "flimsy", "slow", "noisy", "broken", "disappointing", "dull",
       "fragile", "clumsy", "weak", "blurry", "useless"]
INTENSIFIERS = ["", "", "very ", "really ", "quite ", "pretty ", "so "]
NEGATIONS = ["not ", "never ", "hardly "]
SOFT_INTENSIFIERS = ["", "", "very ", "really "]  # the ones that read well after a negation
VERBS = ["is", "was", "feels", "seems", "looks"]
FILLERS = ["", "", "", "i bought it last week. ", "arrived on tuesday. ", "second one i own. ", "got it as a gift. ",
           "used it for a month. "]


def clause():
    """An opinion about one thing and whether it is positive."""
    good = rng.random() < 0.5
    adjective = rng.choice(GOOD if good else BAD)
    negated = rng.random() < 0.35
    degree = rng.choice(SOFT_INTENSIFIERS if negated else INTENSIFIERS)
    text = f"{rng.choice(THINGS)} {rng.choice(VERBS)} {rng.choice(NEGATIONS) if negated else ''}{degree}{adjective}"
    return text, good != negated


def review():
    first, positive = clause()
    if rng.random() < 0.4:
        second, positive = clause()  # the opinion after "but" decides
        text = f"{first}, but {second}"
    else:
        text = first
    return f"{rng.choice(FILLERS)}{text}.", "positive" if positive else "negative"


rows = [review() for _ in range(800)]
with open("reviews.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["review", "sentiment"])
    w.writerows(rows)
