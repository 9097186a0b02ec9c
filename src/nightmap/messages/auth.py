"""Strings of sign-in and roles (nightmap.auth, nightmap.ui.auth).

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # --- sign-in and roles (nightmap.auth, nightmap.ui.auth) ---------------------------------------
    "auth.single_user": (
        "单机模式：未启用登录（修改记录为本机用户 {user}）",
        "Single-user mode: sign-in is off (changes are recorded as {user})",
    ),
    "auth.form": ("登录", "Sign in"),
    "auth.intro": ("请登录后使用。账号由区商务局管理员分配。", "Please sign in. The bureau's administrator gives out accounts."),
    "auth.username": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.sign_in": ("登录", "Sign in"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.signed_out": ("已退出登录。", "You have signed out."),
    "auth.wrong": (
        "用户名或密码不正确。多次输入错误后，每次重试需要等待更长时间。",
        "Wrong user name or password. After repeated failures each retry has to wait longer.",
    ),
    "auth.signed_in": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "auth.role.viewer": ("查看", "viewer"),
    "auth.role.editor": ("编辑", "editor"),
    "auth.role.admin": ("管理员", "admin"),
    "auth.config_error": ("登录配置有误，请联系管理员：{msg}", "The sign-in configuration is broken; tell the administrator: {msg}"),
    "auth.need_editor": (
        "上传数据和修改片区需要“编辑”或“管理员”角色；您的角色是“{role}”。",
        "Uploading data and editing zones needs the editor or admin role; your role is {role}.",
    ),
    "auth.need_admin": ("回滚批次需要“管理员”角色。", "Rolling back a batch needs the admin role."),
    "auth.log.header": ("操作记录（谁在何时导入、回滚、修改了什么）", "Change log (who committed, rolled back or edited what, when)"),
    "auth.log.none": ("还没有任何修改记录。", "No changes recorded yet."),
    "auth.log.action": ("操作", "Action"),
    "auth.log.target": ("对象", "Target"),
    "auth.log.role": ("角色", "Role"),
    "auth.action.ingest": ("导入", "commit"),
    "auth.action.rollback": ("回滚", "rollback"),
    "auth.action.zone_edit": ("修改片区", "zone edit"),
    "auth.action.zone_restore": ("恢复片区版本", "zone restore"),
    "auth.users.header": ("可登录的用户（仅管理员可见）", "Users who may sign in (admins only)"),
    "auth.users.help": (
        "用命令 nightmap users add/remove 管理用户；页面不显示密码。",
        "Manage users with the nightmap users add/remove command; passwords are never shown.",
    ),
    "auth.users.single": ("单机模式：没有用户文件。", "Single-user mode: there is no users file."),
    "auth.col.user": ("用户名", "User"),
    "auth.col.name": ("姓名", "Name"),
}
