"""Sample exports built from each format's documented columns, as the file-import tests upload them."""

import csv
import io
import json


def table(header: list[str], rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue()


LETTERBOXD_RATINGS = ["Date", "Name", "Year", "Letterboxd URI", "Rating"]
LETTERBOXD_DIARY = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
LETTERBOXD_WATCHLIST = ["Date", "Name", "Year", "Letterboxd URI"]
IMDB_RATINGS = [
    "Const", "Your Rating", "Date Rated", "Title", "Original Title", "URL", "Title Type", "IMDb Rating",
    "Runtime (mins)", "Year", "Genres", "Num Votes", "Release Date", "Directors",
]  # fmt: skip
IMDB_LIST = [
    "Position", "Const", "Created", "Modified", "Description", "Title", "URL", "Title Type", "IMDb Rating",
    "Runtime (mins)", "Year", "Genres", "Num Votes", "Release Date", "Directors",
]  # fmt: skip
CLZ_MOVIES = [
    "Index", "Title", "Sort Title", "Movie Release Year", "Format", "Edition", "Region", "Barcode", "IMDb Number",
    "Location", "Runtime", "Genre", "Director", "Actor", "My Rating", "Plot", "Collection Status", "Added Date",
]  # fmt: skip
COLLECTZ = [
    "title", "media_type", "year", "owned_formats", "format", "director", "cast", "genre", "rating", "user_rating",
    "runtime", "upc", "isbn", "ean_upc", "asin", "signed_by", "signed_role", "signed_on", "signed_at",
    "signed_proof_path", "location", "notes",
]  # fmt: skip


def letterboxd_ratings() -> str:
    return table(
        LETTERBOXD_RATINGS,
        [
            ["2024-01-02", "Heat", 1995, "https://boxd.it/29Wm", 4.5],
            ["2024-01-05", "Amélie", 2001, "https://boxd.it/1ZaK", 3],
            ["2024-02-01", "Paris, Texas", 1984, "https://boxd.it/1YyO", 5],
        ],
    )


def letterboxd_diary() -> str:
    return table(
        LETTERBOXD_DIARY,
        [
            ["2024-01-02", "Heat", 1995, "https://boxd.it/a", 4.5, "", "", "2024-01-01"],
            ["2024-03-02", "Heat", 1995, "https://boxd.it/b", 4.5, "Yes", "", "2024-03-01"],
            ["2024-03-09", "Arrival", 2016, "https://boxd.it/c", 4, "", "sci-fi", "2024-03-08"],
        ],
    )


def imdb_ratings() -> str:
    return table(
        IMDB_RATINGS,
        [
            ["tt0113277", 9, "2020-05-01", "Heat", "Heat", "https://www.imdb.com/title/tt0113277/", "Movie", 8.3,
             170, 1995, "Action, Crime, Drama", 700000, "1995-12-15", "Michael Mann"],
            ["tt0903747", 10, "2021-01-01", "Breaking Bad", "Breaking Bad", "https://www.imdb.com/title/tt0903747/",
             "TV Series", 9.5, 49, 2008, "Crime, Drama", 2000000, "2008-01-20", ""],
            ["tt0959621", 8, "2021-01-02", "Pilot", "Pilot", "https://www.imdb.com/title/tt0959621/", "TV Episode",
             8.2, 58, 2008, "Crime", 40000, "2008-01-20", "Vince Gilligan"],
        ],
    )  # fmt: skip


def clz_movies() -> str:
    return table(
        CLZ_MOVIES,
        [
            [1, "The Matrix", "Matrix", 1999, "Blu-ray", "10th Anniversary", "A", "883929087441", "tt0133093",
             "Living room, shelf 2", "136", "Action; Science Fiction", "Lana Wachowski", "Keanu Reeves", 9,
             "A hacker learns...", "In Collection", "2019-01-01"],
            [2, "Alien", "Alien", 1979, "4K Ultra HD", "", "Free", "024543694738", "tt0078748", "Basement",
             "117", "Horror", "Ridley Scott", "Sigourney Weaver", 8, "", "In Collection", "2020-01-01"],
            [3, "Dune", "Dune", 2021, "DVD", "", "2", "", "", "", "", "", "", "", "", "", "Wish List", ""],
        ],
    )  # fmt: skip


def collectz_csv() -> str:
    return table(
        COLLECTZ,
        [
            ["The Matrix", "movie", 1999, "dvd|bluray|digital", "Blu-ray", "Lana Wachowski, Lilly Wachowski",
             "Keanu Reeves, Laurence Fishburne", "Science Fiction", 8.7, 4.5, 136, "085391163545", "", "", "", "",
             "", "", "", "", "Living Room", "Example row"],
            ["Severance", "tv_series", 2022, "digital", "Digital", "", "", "Drama", 8.7, "", "", "", "", "", "", "",
             "", "", "", "", "", ""],
            ["Wool", "book", 2012, "paperback|digital", "Paperback", "Hugh Howey", "", "Science Fiction", "", 4.5,
             "", "", "9781476735402", "", "", "", "", "", "", "", "Salt Lake City", ""],
        ],
    )  # fmt: skip


def trakt_export() -> str:
    def movie(title: str, year: int, trakt: int, imdb: str, tmdb: int) -> dict:
        return {
            "title": title,
            "year": year,
            "ids": {"trakt": trakt, "slug": title.lower(), "imdb": imdb, "tmdb": tmdb},
        }

    show = {"title": "Dark", "year": 2017, "ids": {"trakt": 1, "slug": "dark", "tvdb": 334824, "imdb": "tt5753856", "tmdb": 70523}}  # fmt: skip
    entries = [
        {"plays": 2, "last_watched_at": "2024-01-01T20:00:00.000Z", "movie": movie("Heat", 1995, 7, "tt0113277", 949)},
        {"rated_at": "2024-01-01T20:00:00.000Z", "rating": 8, "type": "movie",
         "movie": movie("Arrival", 2016, 8, "tt2543164", 329865)},
        {"rated_at": "2024-01-02T20:00:00.000Z", "rating": 9, "type": "show", "show": show},
        {"rated_at": "2024-01-03T20:00:00.000Z", "rating": 7, "type": "episode", "show": show,
         "episode": {"season": 1, "number": 1, "title": "Secrets", "ids": {"trakt": 5}}},
    ]  # fmt: skip
    return json.dumps(entries)


def generic_rows(count: int, prefix: str = "Film") -> str:
    return table(["Title", "Year", "Format"], [[f"{prefix} {n:06d}", 1950 + n % 70, "DVD"] for n in range(count)])
