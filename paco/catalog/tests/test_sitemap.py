from .conftest import add, detail


def test_sitemap_lists_pages_of_this_town(town_x, unit_x_a, town_y, unit_y, anon_x):
    add(
        town_x,
        detail("Poda de árvore", unit_x_a),
        detail("Rascunho", unit_x_a, situacao="draft"),
    )
    add(town_y, detail("Só em Y", unit_y))
    response = anon_x.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for path in (
        "/",
        "/servicos/",
        "/cronograma/",
        "/servicos/poda-de-arvore/",
        "/servicos/categoria/geral/",
    ):
        assert f"<loc>http://x.paco.test{path}</loc>" in xml, path
    assert "rascunho" not in xml
    assert "so-em-y" not in xml
