"""`yikatong regions load [DIR] [--county 141024 ...]`: load division code files into Region."""
from django.core.management.base import BaseCommand, CommandError

from yikatong.regions.loader import SHIPPED_DATA_DIR, RegionLoadError, load_regions
from yikatong.regions.models import LEVEL_NAMES


class Command(BaseCommand):
    help = (
        "Region tools. `regions load [DIR] [--county CODE ...]` upserts the files of DIR "
        "(provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv.gz; default: the "
        "project's copy of the five seed counties) and prints the counts per level."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("directory", nargs="?", default=str(SHIPPED_DATA_DIR), help="数据目录")
        parser.add_argument(
            "--county",
            dest="counties",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="只导入这些县级区划（6 位代码）及其上级",
        )

    def handle(self, *args, action, directory, counties, verbosity, **options):
        def progress(done, total, message):
            if verbosity >= 2:
                self.stdout.write(message)

        try:
            result = load_regions(directory, counties=counties, progress=progress)
        except RegionLoadError as exc:
            raise CommandError(f"导入失败，未做任何修改：{exc}") from exc
        self.stdout.write(f"已导入行政区划：{result.source}")
        if result.counties:
            self.stdout.write(f"限定县级区划：{'、'.join(result.counties)}")
        for level, name in LEVEL_NAMES.items():
            self.stdout.write(f"  {level} {name}\t{result.counts[level]}")
        self.stdout.write(f"  合计\t{result.total}（新增或更新 {result.changed}，与上级同码合并 {result.aliases}）")
        self.stdout.write(self.style.SUCCESS(f"用时 {result.seconds:.2f} 秒"))
