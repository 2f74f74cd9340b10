"""People, households and organization payees of the register."""
from django.db import models
from django.utils import timezone

from yikatong.regions.models import Region

from ..choices import PersonStatus
from ..fields import BlindIndexField

HEAD = "户主"


class Household(models.Model):
    """A household (户): its members are the persons pointing at it, each with a relation to
    the head; the head is the member whose relation is 户主 (`head`), so the two can never
    disagree."""

    number = models.CharField("户号", max_length=40)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="村(社区)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "户"
        constraints = [models.UniqueConstraint(fields=["village", "number"], name="registry_household_number_per_village")]

    def __str__(self) -> str:
        return f"户号 {self.number}"

    @property
    def head(self) -> "Person | None":
        return self.members.filter(relation=HEAD).order_by("id").first()


class Person(models.Model):
    """A natural person. Birth date and sex are derived from the ID number at registration."""

    name = models.CharField("姓名", max_length=50)
    id_enc = models.TextField("身份证号码(密文)")
    id_bidx = BlindIndexField()
    # Blind index of first 4 + last 4 characters: search by a masked ID (1410**********123X).
    # No plaintext part of the ID is stored: with the birth date beside it, even the last 4
    # digits would make the whole number guessable.
    id_mask_bidx = BlindIndexField()
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=1)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name="户"
    )
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    # indexed together with the name (Meta): scope filters and name search
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="村(社区)", db_index=False
    )
    phone_enc = models.TextField("联系电话(密文)", blank=True)
    phone_bidx = BlindIndexField(blank=True)
    status = models.CharField("人员状态", max_length=12, choices=PersonStatus.choices, default=PersonStatus.NORMAL)
    status_since = models.DateField("状态生效日期", null=True, blank=True)
    # Keyed digest of the last imported row that produced the current state: re-importing the
    # same row is recognised without decrypting anything. Any other change clears it.
    import_digest = models.CharField(max_length=64, blank=True)
    # provenance only (imports are never deleted): no index, no constraint check per inserted row
    source_import = models.ForeignKey(
        "registry.RegisterImport", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "补贴对象(个人)"
        # Declared here rather than with unique=/db_index= so that PostgreSQL gets no extra
        # "_like" pattern index per column: fewer indexes, faster bulk imports.
        constraints = [models.UniqueConstraint(fields=["id_bidx"], name="registry_person_id_bidx_uniq")]
        indexes = [
            models.Index(fields=["village", "name"], name="registry_person_village_name"),
            models.Index(fields=["id_mask_bidx"], name="registry_person_id_mask"),
        ]

    def __str__(self) -> str:
        return self.name


class OrgPayee(models.Model):
    """An organization paid into its public account (村集体经济组织, 合作社 …)."""

    name = models.CharField("名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="所在区划")
    import_digest = models.CharField(max_length=64, blank=True)
    source_import = models.ForeignKey(
        "registry.RegisterImport", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "补贴对象(单位)"
        constraints = [models.UniqueConstraint(fields=["uscc"], name="registry_orgpayee_uscc_uniq")]

    def __str__(self) -> str:
        return self.name
