"""Admin routes for the reference data: champion countries and organisations."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.admin import queries, reference_services
from reviewtracker.admin.forms import CountryForm, OrganisationForm
from reviewtracker.admin.options import country_options, stakeholder_type_options
from reviewtracker.admin.views import admin_only, attempt, bp, int_arg, paginate
from reviewtracker.extensions import db
from reviewtracker.models import Country, Organisation, StakeholderType


def _names(form: CountryForm) -> dict[str, str | None]:
    return {"en": form.title_en.data, "fr": form.title_fr.data, "es": form.title_es.data}


@bp.route("/countries")
@admin_only
def countries():
    """Countries with names, champion date, status and participation."""
    rows = db.session.execute(queries.list_countries()).all()
    return render_template("admin/countries.html", rows=rows)


@bp.route("/countries/new", methods=["GET", "POST"])
@admin_only
def country_new():
    """Add a country."""
    form = CountryForm()
    if form.validate_on_submit():
        ok, _country = attempt(
            lambda: reference_services.create_country(
                current_user,
                code=form.code.data,
                names=_names(form),
                champion_since=form.champion_since.data,
                active=form.active.data,
            )
        )
        if ok:
            flash(_("The country is added."), "success")
            return redirect(url_for("admin.countries"))
    return render_template("admin/form.html", form=form, title=_("Add a country"), back=url_for("admin.countries"))


@bp.route("/countries/<int:country_id>", methods=["GET", "POST"])
@admin_only
def country_edit(country_id: int):
    """Change a country's names, champion date or status (the code is fixed)."""
    country = db.get_or_404(Country, country_id)
    form = CountryForm(obj=country)
    del form.code
    if form.validate_on_submit():
        ok, _result = attempt(
            lambda: reference_services.update_country(
                current_user,
                country,
                names=_names(form),
                champion_since=form.champion_since.data,
                active=form.active.data,
            )
        )
        if ok:
            flash(_("The country is saved."), "success")
            return redirect(url_for("admin.countries"))
    title = _("Edit the country %(code)s", code=country.code)
    return render_template("admin/form.html", form=form, title=title, back=url_for("admin.countries"))


@bp.route("/organisations")
@admin_only
def organisations():
    """Organisations with filters by country and stakeholder type, a search and pages."""
    country_id, type_id = int_arg("country"), int_arg("type")
    search = request.args.get("q", "").strip()[:100]
    page = paginate(queries.list_organisations(country_id=country_id, type_id=type_id, search=search))
    return render_template(
        "admin/organisations.html",
        page=page,
        countries=country_options(empty=_("All countries")),
        types=stakeholder_type_options(empty=_("All types")),
        filters={"country": country_id, "type": type_id, "q": search},
    )


def _organisation_form(organisation: Organisation | None = None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation)
    form.country.choices = country_options(empty=_("(international)"))
    form.stakeholder_type.choices = stakeholder_type_options(empty=_("Choose…"))
    if organisation is not None and request.method == "GET":
        form.country.data, form.stakeholder_type.data = organisation.country_id, organisation.stakeholder_type_id
    return form


def _save_organisation(form: OrganisationForm, organisation: Organisation | None):
    values = {
        "name": form.name.data,
        "acronym": form.acronym.data,
        "country": db.session.get(Country, form.country.data) if form.country.data else None,
        "stakeholder_type": db.session.get(StakeholderType, form.stakeholder_type.data),
        "active": form.active.data,
    }
    if organisation is None:
        return attempt(lambda: reference_services.create_organisation(current_user, **values))
    return attempt(lambda: reference_services.update_organisation(current_user, organisation, **values))


@bp.route("/organisations/new", methods=["GET", "POST"])
@admin_only
def organisation_new():
    """Add an organisation."""
    form = _organisation_form()
    if form.validate_on_submit() and _save_organisation(form, None)[0]:
        flash(_("The organisation is added."), "success")
        return redirect(url_for("admin.organisations"))
    back = url_for("admin.organisations")
    return render_template("admin/form.html", form=form, title=_("Add an organisation"), back=back)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@admin_only
def organisation_edit(organisation_id: int):
    """Change an organisation."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = _organisation_form(organisation)
    if form.validate_on_submit() and _save_organisation(form, organisation)[0]:
        flash(_("The organisation is saved."), "success")
        return redirect(url_for("admin.organisations"))
    title = _("Edit the organisation %(name)s", name=organisation.name)
    return render_template("admin/form.html", form=form, title=title, back=url_for("admin.organisations"))
