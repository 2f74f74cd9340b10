"""Monitoring reports (监测报表, issue 16 §1): monthly reports that fill themselves from payments, checks,
notices, complaints, register cards and fund quotas, submitted, approved or returned, frozen and exported."""
