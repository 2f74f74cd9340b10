"""Administrative divisions (统计用区划代码): 5 levels, 12-digit codes, subtree = code prefix."""
from django.db import models

LEVEL_PREFIX_LEN = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LEVEL_NAMES = {1: "省", 2: "市(州)", 3: "县(市、区)", 4: "乡(镇、街道)", 5: "村(社区)"}


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=LEVEL_NAMES.items(), db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="region_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """Code prefix shared by every region in this subtree."""
        return self.code[: LEVEL_PREFIX_LEN[self.level]]

    def contains(self, other: "Region | str") -> bool:
        code = other if isinstance(other, str) else other.code
        return code.startswith(self.prefix)

    @staticmethod
    def full_code(short: str) -> str:
        """Pad a 2/4/6/9-digit code to 12 digits."""
        return str(short).ljust(12, "0")
