"""The sign-in gate of every page (called by :func:`nightmap.ui.page.setup_page`) and the signed-in actor.

* No users file (``$NIGHTMAP_AUTH`` unset): single-user mode, as before sign-in
  existed. The sidebar says so and the operating-system user is the actor
  (:func:`nightmap.auth.local_actor`).
* With a users file: ``streamlit-authenticator`` draws the sign-in form and
  keeps a signed (HS256 JWT) cookie so a reload stays signed in; a cookie
  whose signature does not match is ignored, which signs the visitor out.
  Until someone signs in, the page shows only the form and stops. The role
  comes from the users file on every run — not from the cookie — so a changed
  role or a removed user takes effect at the next page load.

The actor is kept in ``st.session_state`` for the page (:func:`current_actor`),
but nothing trusts it for permission: every write passes it to the store,
whose one write path checks the role (:meth:`nightmap.store.Store._write`).
"""

from __future__ import annotations

import time

import streamlit as st

from nightmap import auth
from nightmap.auth import Actor, AuthConfig, role_label
from nightmap.i18n import DEFAULT_LANG, LANGS, md_escape, t

ACTOR_KEY = "nm_actor"
"""Where the gate leaves the signed-in actor for the page."""
LOGIN_KEY = "nm_login"
LOGOUT_KEY = "nm_logout"
SIGNED_OUT_KEY = "nm_signed_out"
"""Set at sign-out so the note stays on the form through the reruns the cookie component triggers."""


def page_lang() -> str:
    """The language before the sidebar is drawn: the language switch's value, else ``?lang=``, else Chinese."""
    lang = st.session_state.get("nm_lang") or st.query_params.get("lang") or DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def current_actor() -> Actor | None:
    """The actor the gate let in on this run (``None`` when nobody is signed in)."""
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def _client() -> str:
    """Who the sign-in throttle counts failures for: the client's address, or one shared name when unknown.

    Not the browser session: a new session (a reload) must not start the count afresh.
    """
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        address = None
    return f"ip:{address}" if isinstance(address, str) and address else "ip:unknown"


def _fields(lang: str) -> dict[str, str]:
    return {"Form name": t("auth.form", lang), "Username": t("auth.username", lang),
            "Password": t("auth.password", lang), "Login": t("auth.sign_in", lang)}


def _sign_in_form(authenticator: object, lang: str) -> None:
    """Draw the form (or sign in from a valid cookie); after a wrong password wait longer each time."""
    from streamlit_authenticator.utilities import LoginError

    client = _client()
    wait = auth.THROTTLE.remaining(client)
    if wait > 0:
        time.sleep(wait)  # a retry inside the delay of the last failure waits it out first
    if st.session_state.get("authentication_status") is False:
        st.session_state["authentication_status"] = None  # so False below means: failed on this run
    try:
        authenticator.login(location="main", fields=_fields(lang), key=LOGIN_KEY)  # type: ignore[attr-defined]
    except LoginError:
        # e.g. the cookie names a user who was removed: stay signed out, ignore the cookie in this session
        st.session_state["logout"] = True
        st.session_state["authentication_status"] = None
        st.rerun()
    status = st.session_state.get("authentication_status")
    if status is False:
        time.sleep(auth.THROTTLE.failed(client))
        st.error(t("auth.wrong", lang))  # the same words for an unknown user and a wrong password
    elif status:
        auth.THROTTLE.succeeded(client)


def _forget_cookie(authenticator: object, cookie_name: str) -> None:
    """Delete the sign-in cookie again while the browser still reports it, on every run after sign-out.

    The library deletes it once, from a component drawn on the sign-out run; a rerun that replaces that run
    before the browser has run the component would leave the cookie, and a reload would sign the user back in.
    """
    try:
        manager = authenticator.cookie_controller.cookie_model.cookie_manager  # type: ignore[attr-defined]
    except AttributeError:  # another version of the library: its own deletion is all there is
        return
    if cookie_name in (getattr(manager, "cookies", None) or {}):
        manager.delete(cookie_name, key="nm_forget_cookie")


def _authenticator(config: AuthConfig) -> object:
    import streamlit_authenticator as stauth

    return stauth.Authenticate(config.credentials(), config.cookie_name, config.cookie_key, config.expiry_days,
                               auto_hash=False, login_sleep_time=0)


def gate(lang: str | None = None) -> Actor:
    """Let the visitor in or stop the page at the sign-in form; return the actor who may see the page.

    Parameters
    ----------
    lang
        Language of the form and notes; default :func:`page_lang`.

    Returns
    -------
    Actor
        The signed-in user with their role from the users file, or the OS user in single-user mode.
        Never returns for an anonymous visitor (the page stops after the form).
    """
    lang = lang or page_lang()
    st.session_state.pop(ACTOR_KEY, None)
    path = auth.auth_path()
    if path is None:
        actor = auth.local_actor()
        st.sidebar.caption(t("auth.single_user", lang, user=md_escape(actor.user)))
        st.session_state[ACTOR_KEY] = actor
        return actor
    try:
        config = auth.load_config(path)
    except auth.AuthConfigError as exc:
        st.error(t("auth.config_error", lang, msg=md_escape(exc)))
        st.stop()
    authenticator = _authenticator(config)
    if not st.session_state.get("authentication_status"):
        from nightmap.ui.page import chinese_widget_words  # page.py imports this module

        chinese_widget_words(lang)  # the form's "Press Enter to submit form" in Chinese
        heading = st.empty()
        with heading.container():
            st.title(t("app.title", lang))
            st.caption(t("auth.intro", lang))
            if st.session_state.get(SIGNED_OUT_KEY):
                st.info(t("auth.signed_out", lang))
        if st.session_state.get(SIGNED_OUT_KEY):
            _forget_cookie(authenticator, config.cookie_name)
        _sign_in_form(authenticator, lang)
        if not st.session_state.get("authentication_status"):
            st.stop()
        heading.empty()  # signed in from the cookie or the form: the page takes over
    st.session_state.pop(SIGNED_OUT_KEY, None)
    actor = config.actor(str(st.session_state.get("username") or ""))
    if actor is None:  # removed from the users file since signing in
        authenticator.logout(location="unrendered")  # type: ignore[attr-defined]
        st.rerun()
    assert actor is not None
    who = st.sidebar.empty()
    with who.container():
        st.caption(t("auth.signed_in", lang, name=md_escape(actor.name or actor.user),
                     role=role_label(actor.role, lang)))
        sign_out = st.button(t("auth.sign_out", lang), key=LOGOUT_KEY)
    if sign_out:
        who.empty()  # no "signed in as" nor sign-out button on the signed-out page
        # the library clears the session and deletes the cookie (its cookie component is drawn in the main area,
        # outside the emptied sidebar slot, so the browser runs it)
        authenticator.logout(location="unrendered")  # type: ignore[attr-defined]
        st.session_state[SIGNED_OUT_KEY] = True  # the note stays through the cookie component's reruns
        st.info(t("auth.signed_out", lang))
        _sign_in_form(authenticator, lang)
        st.stop()
    st.session_state[ACTOR_KEY] = actor
    return actor


def user_rows() -> list[dict[str, str]] | None:
    """The users of the users file for the admin's list (no hashes); ``None`` in single-user mode."""
    path = auth.auth_path()
    if path is None:
        return None
    return auth.load_config(path).user_rows()
