"""Applying validated register rows in chunks: upsert by ID blind index, history for changes.

Per chunk: one IN query finds the people already registered (id_bidx, import_digest). A row
whose keyed digest equals the stored one is unchanged and costs nothing more; new rows are
encrypted and bulk-inserted (core/bulk.py); changed rows are loaded, decrypted and
diffed through history.plan_changes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yikatong.core import bulk
from yikatong.core.crypto import Vault
from yikatong.core.sheets import CellError

from .choices import AccountKind, AccountStatus, PersonStatus
from .history import AccountSpec, Desired, Plan, plan_changes
from .models import BankAccount, Household, OrgPayee, Person
from .register_format import RegisterRow


PERSON_COLUMNS = (
    "name", "id_enc", "id_bidx", "id_mask_bidx", "birth_date", "sex", "household_id", "relation", "village_id",
    "phone_enc", "phone_bidx", "status", "status_since", "import_digest", "source_import_id", "created_at", "updated_at",
)
ACCOUNT_COLUMNS = (
    "person_id", "org_id", "kind", "bank", "number_enc", "number_bidx", "holder_name", "status", "is_current",
    "opened_on", "closed_on", "source_import_id", "created_at", "updated_at",
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "events": self.events}


class RegisterWriter:
    def __init__(self, *, register_import, actor, scope_prefix: str, vault: Vault, today: dt.date, id_header: str):
        self.imp, self.actor, self.prefix, self.vault, self.today = register_import, actor, scope_prefix, vault, today
        self.id_header = id_header
        self.counts = Counts()
        self.households: dict[tuple[str, str], int] = {}
        self.region_names: dict[str, str] = {}
        self.pipeline = bulk.CopyPipeline()

    def close(self) -> None:
        """Wait for the last COPY (raises its error, if any)."""
        self.pipeline.wait()

    def apply(self, rows: list[RegisterRow]) -> list[CellError]:
        self.pipeline.wait()  # the previous chunk's COPY is done before this chunk reads
        people = [r for r in rows if not r.is_org]
        orgs = [r for r in rows if r.is_org]
        errors: list[CellError] = []
        if people:
            errors += self._people(people)
        if orgs:
            errors += self._orgs(orgs)
        return errors

    def _source(self, line: int) -> str:
        return f"底册导入#{self.imp.pk}（{self.imp.file_name}）第{line}行"

    # ---- people ----------------------------------------------------------------------

    def _people(self, rows: list[RegisterRow]) -> list[CellError]:
        existing = {
            b: (pk, digest)
            for b, pk, digest in Person.objects.filter(id_bidx__any=[r.bidx for r in rows]).values_list(
                "id_bidx", "id", "import_digest"
            )
        }
        new, changed = [], []
        for r in rows:
            hit = existing.get(r.bidx)
            if hit is None:
                new.append(r)
            elif hit[1] == r.digest:
                self.counts.unchanged += 1
            else:
                changed.append((r, hit[0]))
        self._resolve_households([r for r in new] + [r for r, _ in changed])
        if new:
            self._create(new)
        return self._update(changed) if changed else []

    def _resolve_households(self, rows: list[RegisterRow]) -> None:
        wanted = {(r.village, r.household) for r in rows if r.household} - self.households.keys()
        if not wanted:
            return
        villages = {v for v, _ in wanted}
        numbers = {n for _, n in wanted}
        for village, number, pk in Household.objects.filter(village_id__in=villages, number__in=numbers).values_list(
            "village_id", "number", "id"
        ):
            if (village, number) in wanted:
                self.households[(village, number)] = pk
        missing = sorted(wanted - self.households.keys())
        now = timezone.now()
        ids = bulk.copy_rows(Household, ("village_id", "number", "created_at"), [(v, n, now) for v, n in missing])
        self.households.update(zip(missing, ids))

    def _create(self, rows: list[RegisterRow]) -> None:
        """Encrypt the new rows here; the COPY runs in the pipeline while the next chunk is parsed."""
        v, now, imp, today = self.vault, timezone.now(), self.imp.pk, self.today
        enc, index, households = v.encrypt, v.index, self.households
        normal = PersonStatus.NORMAL
        people = [
            (r.name, enc(r.number), r.bidx, v.id_mask_index(r.number), r.birth_date, r.sex,
             households[(r.village, r.household)] if r.household else None, r.relation, r.village, enc(r.phone),
             index(r.phone), r.status or normal, r.status_date if r.status and r.status != normal else None,
             r.digest, imp, now, now)
            for r in rows
        ]
        ids = bulk.reserve_ids(Person, len(rows))
        with_account = [(pk, r) for pk, r in zip(ids, rows) if r.account]
        accounts = [
            (pk, None, r.account_kind or AccountKind.SSC, r.bank, enc(r.account), index(r.account), r.holder or r.name,
             r.account_status or AccountStatus.ACTIVE, True, today, None, imp, now, now)
            for pk, r in with_account
        ]
        account_ids = bulk.reserve_ids(BankAccount, len(accounts))
        self.pipeline.submit([(Person, PERSON_COLUMNS, people, ids), (BankAccount, ACCOUNT_COLUMNS, accounts, account_ids)])
        self.counts.created += len(rows)

    def _update(self, changed: list[tuple[RegisterRow, int]]) -> list[CellError]:
        ids = [pk for _, pk in changed]
        persons = Person.objects.in_bulk(ids)
        accounts = {a.person_id: a for a in BankAccount.objects.filter(person_id__in=ids, is_current=True)}
        hh_ids = {p.household_id for p in persons.values() if p.household_id}
        numbers = dict(Household.objects.filter(pk__in=hh_ids).values_list("id", "number"))
        numbers.update({pk: no for (_, no), pk in self.households.items()})
        plan = Plan(vault=self.vault, source="", effective=self.today, actor=self.actor,
                    register_import_id=self.imp.pk, region_names=self.region_names)
        errors, digests = [], []
        for r, pk in changed:
            p = persons[pk]
            if not p.village_id.startswith(self.prefix) and p.status != PersonStatus.MOVED_OUT:
                errors.append(CellError(r.line, self.id_header, "", (
                    f"{self.id_header}对应的人员（{p.name}）登记在其他乡镇，不能由本次导入修改；"
                    "如已迁入本辖区，请先由原乡镇办理迁出"
                )))
                continue
            plan.source = self._source(r.line)
            hh = self.households.get((r.village, r.household)) if r.household else None
            want = Desired(
                name=r.name, village=r.village, household_id=hh, household_no=r.household, relation=r.relation,
                phone=r.phone, status=r.status, status_date=r.status_date,
                account=AccountSpec(r.account, r.account_kind, r.bank, r.holder, r.account_status),
            )
            if plan_changes(plan, p, accounts.get(pk), want, household_numbers=numbers):
                self.counts.updated += 1
            else:
                self.counts.unchanged += 1
            p.import_digest = r.digest
            digests.append(p)
        if errors:
            return errors
        plan.save()
        Person.objects.bulk_update(digests, ["import_digest"], batch_size=500)
        self.counts.events += len(plan.events)
        return []

    # ---- organizations ---------------------------------------------------------------

    def _orgs(self, rows: list[RegisterRow]) -> list[CellError]:
        existing = {o.uscc: o for o in OrgPayee.objects.filter(uscc__in=[r.number for r in rows])}
        accounts = {a.org_id: a for a in BankAccount.objects.filter(org__in=existing.values(), is_current=True)}
        plan = Plan(vault=self.vault, source="", effective=self.today, actor=self.actor,
                    register_import_id=self.imp.pk, region_names=self.region_names)
        errors, new, digests = [], [], []
        for r in rows:
            org = existing.get(r.number)
            if org is None:
                new.append(r)
                continue
            if org.import_digest == r.digest:
                self.counts.unchanged += 1
                continue
            if not org.region_id.startswith(self.prefix):
                errors.append(CellError(r.line, self.id_header, r.number, f"单位“{org.name}”登记在其他乡镇，不能由本次导入修改"))
                continue
            plan.source = self._source(r.line)
            want = Desired(name=r.name, village=r.village,
                           account=AccountSpec(r.account, r.account_kind, r.bank, r.holder, r.account_status))
            if plan_changes(plan, org, accounts.get(org.pk), want):
                self.counts.updated += 1
            else:
                self.counts.unchanged += 1
            org.import_digest = r.digest
            digests.append(org)
        if errors:
            return errors
        plan.save()
        OrgPayee.objects.bulk_update(digests, ["import_digest"], batch_size=500)
        self.counts.events += len(plan.events)
        now, v = timezone.now(), self.vault
        orgs = bulk.insert(OrgPayee, [
            OrgPayee(name=r.name, uscc=r.number, region_id=r.village, import_digest=r.digest,
                     source_import_id=self.imp.pk, created_at=now, updated_at=now) for r in new
        ])
        bulk.insert(BankAccount, [
            BankAccount(org_id=o.pk, kind=r.account_kind or AccountKind.CORPORATE, bank=r.bank, number_enc=v.encrypt(r.account),
                        number_bidx=v.index(r.account), holder_name=r.holder or r.name,
                        status=r.account_status or AccountStatus.ACTIVE, opened_on=self.today,
                        source_import_id=self.imp.pk, created_at=now, updated_at=now)
            for o, r in zip(orgs, new) if r.account
        ])
        self.counts.created += len(new)
        return []
