from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    JUNIOR = "junior", _("junior")
    INTERMEDIATE = "intermediate", _("intermediate")
    SENIOR = "senior", _("senior")

    @classmethod
    def from_chinese(cls, text: str) -> "Level | None":
        return {"初级": cls.JUNIOR, "中级": cls.INTERMEDIATE, "高级": cls.SENIOR}.get(text.strip())

    @classmethod
    def from_grade(cls, grade) -> "Level | None":
        """The national platform's certificateGrade: 1/2/3 = 初级/中级/高级."""
        return {"1": cls.JUNIOR, "2": cls.INTERMEDIATE, "3": cls.SENIOR}.get(str(grade).strip())

    @property
    def chinese(self) -> str:
        return {"junior": "初级", "intermediate": "中级", "senior": "高级"}[self.value]
