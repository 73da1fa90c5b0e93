"""Routes of the admin feature: the landing page, accounts, countries, organisations and the audit log.

One module, because these pages are small and share their helpers; documents and rounds are their own packages.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.admin import queries, reference_services, services
from reviewtracker.admin.forms import CountryForm, OrganisationForm, UserForm
from reviewtracker.admin.options import agency_options, country_options, organisation_options, stakeholder_type_options
from reviewtracker.extensions import db
from reviewtracker.i18n import choices
from reviewtracker.models import (
    ActivityCategory,
    Country,
    LeadAgency,
    Organisation,
    Role,
    StakeholderType,
    TokenPurpose,
    User,
)
from reviewtracker.pages import attempt, paginate
from reviewtracker.parsing import parse_id
from reviewtracker.permissions import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = role_required(Role.admin)


def int_arg(name: str) -> int | None:
    """An optional id query argument (a filter): malformed → 400, out of range → 404 (parsing.py)."""
    return parse_id(request.args.get(name), name)


@bp.route("/")
@admin_only
def index():
    """The admin landing page: links to every administration page, with counts."""
    return render_template("admin/index.html", counts=queries.admin_counts())


# --- Accounts ------------------------------------------------------------------------------------


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.country.choices = country_options(empty=_("(none)"))
    form.organisation.choices = organisation_options()
    form.lead_agency.choices = agency_options()
    if user is not None:
        del form.email
        if request.method == "GET":
            form.country.data, form.organisation.data = user.country_id, user.organisation_id
            form.lead_agency.data, form.locale.data = user.lead_agency_id, user.locale or ""
    return form


def _assignment(form: UserForm) -> dict:
    return {
        "name": form.name.data,
        "role": Role(form.role.data),
        "country": db.session.get(Country, form.country.data) if form.country.data else None,
        "organisation": db.session.get(Organisation, form.organisation.data) if form.organisation.data else None,
        "lead_agency": db.session.get(LeadAgency, form.lead_agency.data) if form.lead_agency.data else None,
        "locale": form.locale.data or None,
    }


def _show_link(user: User, token: str, purpose: TokenPurpose):
    """The link page, rendered once in the POST response and never stored: no cache, no flash, no session."""
    base = (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")
    link = base + url_for("auth.set_password", token=token)
    days = current_app.config["INVITATION_TTL"].days
    response = make_response(render_template("admin/user_link.html", user=user, link=link, purpose=purpose, days=days))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/users")
@admin_only
def users():
    """Accounts with filters (role, country, status), a search, sorting and pages."""
    sort = request.args.get("sort", "name")
    if sort.lstrip("-") not in queries.USER_SORTS:
        abort(400)
    role_arg, active_arg = request.args.get("role", ""), request.args.get("active", "")
    if (role_arg and role_arg not in Role.__members__) or active_arg not in ("", "1", "0"):
        abort(400)
    country_id, search = int_arg("country"), request.args.get("q", "").strip()[:100]
    active = None if active_arg == "" else active_arg == "1"
    stmt = queries.list_users(
        role=Role(role_arg) if role_arg else None, country_id=country_id, active=active, search=search, sort=sort
    )
    filters = {"role": role_arg, "country": country_id, "active": active_arg, "q": search}
    return render_template(
        "admin/users.html",
        page=paginate(stmt),
        sort=sort,
        filters=filters,
        roles=choices(Role),
        countries=country_options(empty=_("All countries")),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def user_new():
    """Create an account without a password and show its invitation link once."""
    form = _form()
    if form.validate_on_submit():

        def create_and_invite() -> tuple[User, str]:
            user = services.create_user(current_user, email=form.email.data, **_assignment(form))
            ttl = current_app.config["INVITATION_TTL"]
            return user, services.issue_user_link(current_user, user, TokenPurpose.invitation, ttl)

        ok, result = attempt(create_and_invite)
        if ok:
            return _show_link(*result, TokenPurpose.invitation)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_edit(user_id: int):
    """Change an account's name, role, country, organisation, agency and language."""
    user = db.get_or_404(User, user_id)
    form = _form(user)
    if form.validate_on_submit():
        ok, _result = attempt(lambda: services.update_user(current_user, user, **_assignment(form)))
        if ok:
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/link", methods=["POST"])
@admin_only
def user_link(user_id: int):
    """Issue a new invitation or password-reset link (the previous unused one stops working)."""
    user = db.get_or_404(User, user_id)
    purpose = TokenPurpose.password_reset if user.password_hash else TokenPurpose.invitation
    ttl = current_app.config["INVITATION_TTL"]
    ok, token = attempt(lambda: services.issue_user_link(current_user, user, purpose, ttl))
    if not ok:
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return _show_link(user, token, purpose)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_only
def user_active(user_id: int):
    """Deactivate (ends every session at once) or reactivate an account."""
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    ok, _result = attempt(lambda: services.set_user_active(current_user, user, active))
    if ok:
        flash(_("The account is active again.") if active else _("The account is deactivated."), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


# --- Reference data: champion countries and organisations -------------------------------------


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


# --- The audit log: every activity row, newest first, read-only -------------------------------


def _date_arg(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=_("Dates must be written as YYYY-MM-DD."))


@bp.route("/activity")
@admin_only
def activity():
    """Who did what and when: filters by category, actor e-mail, action, dates and country."""
    category = request.args.get("category", "")
    if category and category not in {c.value for c in ActivityCategory}:
        abort(400)
    filters = {
        "category": category,
        "actor": request.args.get("actor", "").strip()[:254],
        "action": request.args.get("action", "").strip()[:60],
        "date_from": _date_arg("from"),
        "date_to": _date_arg("to"),
        "country": int_arg("country"),
    }
    stmt = queries.list_activity(
        category=ActivityCategory(category) if category else None,
        actor=filters["actor"],
        action=filters["action"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        country_id=filters["country"],
    )
    return render_template(
        "admin/activity.html",
        page=paginate(stmt),
        filters=filters,
        categories=choices(ActivityCategory),
        countries=country_options(empty=_("All countries")),
    )
