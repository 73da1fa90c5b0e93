"""Admin routes for accounts: list, create with an invitation link, edit, links, (de)activation."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.admin import queries, services
from reviewtracker.admin.forms import UserForm
from reviewtracker.admin.options import agency_options, country_options, organisation_options
from reviewtracker.admin.views import admin_only, attempt, bp, int_arg, paginate
from reviewtracker.extensions import db
from reviewtracker.i18n import choices
from reviewtracker.models import Country, LeadAgency, Organisation, Role, TokenPurpose, User


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
