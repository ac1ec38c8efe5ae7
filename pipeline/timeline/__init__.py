"""One municipality over the years: afspraken matched across agreements of different years
(``links``: unchanged, changed, new, dropped), what yearly updates report on them
(``progress``), and the timeline per municipality (``timelines``)."""
