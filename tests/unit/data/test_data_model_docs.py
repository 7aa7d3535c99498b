from pathlib import Path

from shopops.data.docs import render_data_model
from shopops.data.schemas import ALL_TABLES

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-model.md"


def test_data_model_document_is_current() -> None:
    assert DOC.read_text() == render_data_model(), "run: shopops schema --markdown > " + str(DOC)


def test_every_column_is_described_with_its_unit_in_its_table_section() -> None:
    sections = render_data_model().split("\n## ")[1:]
    by_table = {section.split("\n", 1)[0]: section for section in sections}
    assert list(by_table) == [spec.name for spec in ALL_TABLES]
    for spec in ALL_TABLES:
        rows = {
            line.split("|")[1].strip(" `"): line
            for line in by_table[spec.name].splitlines()
            if line.startswith("| `")
        }
        assert list(rows) == spec.column_names
        for column in spec.columns:
            assert column.description.strip(), f"{spec.name}.{column.name} has no description"
            assert column.unit is None or f"| {column.unit} |" in rows[column.name]
