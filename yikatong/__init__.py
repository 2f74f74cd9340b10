"""Yikatong (一卡通): subsidy disbursement to social security card accounts."""
