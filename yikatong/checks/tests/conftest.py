"""The ground truth of the planted roster (root conftest fixture `planted`, built by
tests.support.scenarios.planted_roster): item seqs per rule."""
from yikatong.checks.rules import BUILTIN

TRUTH = {
    "DUP_PAYMENT": {2},
    "SHARED_ACCOUNT": {3},
    "DECEASED": {4, 7},
    "DECEASED_IN_PERIOD": {6},  # died on 2026-11-15, inside the period 2026-11: a warning, not a block
    "AMOUNT_STANDARD": {8},
    "AGE_LIMIT": {9, 22},  # 22: no register person, 11 years old by the birth date in its ID number
    "ACCOUNT_INACTIVE": {10},
    "STATE_PAID": {11},
    "CADRE": {12},
    "ASSETS": {13},
    "ID_INVALID": {15},
    "CARD_INVALID": {16},
    "HOLDER_MISMATCH": {18, 19},
    "EXCLUSIVE_POLICY": {20},
    "NOT_RESIDENT": {21, 22},
    "SHARED_PHONE": {23, 24, 25, 26},
    "AMOUNT_JUMP": {30},
}
# findings of blocking severity in the planted batch (one finding per item and rule there)
BLOCKING = sum(len(TRUTH[r.code]) for r in BUILTIN if r.severity == "block")
