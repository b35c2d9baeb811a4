"""Who is returning: every character of the original film, its actor, and their news for the sequel.

Three queries whatever the size of the cast: the original's cast, the sequel's credits, and the
status history of those credits.
"""

from dataclasses import dataclass, field

from films.models import Credit, Department, Film


@dataclass
class ReturningRow:
    """One character of the original film and what is known about them in the sequel."""

    original: Credit
    sequel_credits: list[Credit] = field(default_factory=list)

    @property
    def character(self):
        return self.original.character

    @property
    def person(self):
        return self.original.person

    @property
    def credit(self) -> Credit | None:
        """The sequel credit that says most about this role: the same character first."""
        return self.sequel_credits[0] if self.sequel_credits else None

    @property
    def recast(self) -> bool:
        credit = self.credit
        return credit is not None and credit.person_id != self.original.person_id

    @property
    def other_roles(self) -> list[Credit]:
        """The actor's other sequel credits, e.g. executive producer."""
        return [credit for credit in self.sequel_credits[1:] if credit.person_id == self.person.pk]


def who_is_returning(sequel: Film) -> list[ReturningRow]:
    """A row for every cast credit of the film the sequel follows, in billing order."""
    if not sequel.sequel_to_id:
        return []
    original_cast = list(
        Credit.objects.filter(film_id=sequel.sequel_to_id, department=Department.CAST)
        .select_related("film", "person", "character")
        .order_by("billing", "pk")
    )
    sequel_credits = list(
        Credit.objects.filter(film=sequel)
        .select_related("person", "character", "source_post")
        .with_history()
        .order_by("billing", "pk")
    )
    rows = []
    for original in original_cast:
        same_role = [
            credit
            for credit in sequel_credits
            if original.character_id and credit.character_id == original.character_id
        ]
        same_person = [
            credit
            for credit in sequel_credits
            if credit.person_id == original.person_id and credit not in same_role
        ]
        same_person.sort(key=lambda credit: not credit.is_cast)  # an acting part first
        rows.append(ReturningRow(original=original, sequel_credits=same_role + same_person))
    return rows
