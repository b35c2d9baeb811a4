"""Search (fansite.search): on PostgreSQL the unaccent and pg_trgm extensions and the
english_unaccent text search configuration (english with accents folded, as an immutable
configuration so an expression using it can be indexed); on SQLite the FTS5 tables of films
(with the names of the people credited), people and characters."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from fansite.search_operations import CreateSQLiteSearchTable, RunSQLOnPostgres, Watch

CREDITED_NAMES = (
    "(SELECT group_concat(films_person.name, ' ') FROM films_credit"
    " JOIN films_person ON films_person.id = films_credit.person_id"
    " WHERE films_credit.film_id = films_film.id)"
)


class Migration(migrations.Migration):
    dependencies = [("films", "0003_credit_defaults_and_crew_job")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        RunSQLOnPostgres(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english)",
                "ALTER TEXT SEARCH CONFIGURATION english_unaccent"
                " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION english_unaccent"],
        ),
        CreateSQLiteSearchTable(
            name="films_film_fts",
            source="films_film",
            columns=["title", "credited_names", "tagline", "synopsis", "based_on"],
            select=(
                "SELECT films_film.id, title, " + CREDITED_NAMES + ", tagline, synopsis, based_on"
                " FROM films_film WHERE {where}"
            ),
            watch=[
                Watch("films_film", columns=("title", "tagline", "synopsis", "based_on")),
                Watch("films_credit", ids="{row}.film_id", columns=("film_id", "person_id")),
                Watch(
                    "films_person",
                    ids="SELECT film_id FROM films_credit WHERE person_id = {row}.id",
                    columns=("name",),
                    events=("UPDATE",),
                ),
            ],
        ),
        CreateSQLiteSearchTable(
            name="films_person_fts",
            source="films_person",
            columns=["name", "bio"],
            select="SELECT id, name, bio FROM films_person WHERE {where}",
            watch=[Watch("films_person", columns=("name", "bio"))],
        ),
        CreateSQLiteSearchTable(
            name="films_character_fts",
            source="films_character",
            columns=["name", "description"],
            select="SELECT id, name, description FROM films_character WHERE {where}",
            watch=[Watch("films_character", columns=("name", "description"))],
        ),
    ]
