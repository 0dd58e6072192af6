"""The part of the add/edit-source form that a connector declares: one widget per ConfigField.

Rendered generically from the connector class's ``fields`` (text, url, secret, choice, int), so a
new connector in the registry needs no UI code. A secret field is a password field whose value
goes to the keychain, never to the database; when no keychain is available it is disabled and
says so in a sentence. :meth:`ConnectorForm.values` gives the raw values as typed (what the
connector's ``check`` reads); :meth:`ConnectorForm.config` the ``config`` to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmdesk.listening.connectors.base import ConfigField

SECRET_KEPT = "Stored in the keychain — type a new one to replace it"
LABEL_WIDTH = 130  # the dialog's own rows use it too, so both forms line up


def form_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setFixedWidth(LABEL_WIDTH)
    return label


def connector_fields(connector: Any) -> tuple[ConfigField, ...]:
    return tuple(getattr(connector, "fields", ()) or ())


class ConnectorForm(QWidget):
    """The connector's own fields; ``edited`` fires on every change (the preview goes stale)."""

    edited = Signal()

    def __init__(
        self,
        connector: Any,
        *,
        url: str = "",
        config: Mapping[str, Any] | None = None,
        has_secret: bool = False,
        keychain_message: str | None = None,  # None: the keychain works; else why it does not
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.connector = connector
        self.fields = connector_fields(connector)
        self.original = dict(config or {})
        self.widgets: dict[str, QWidget] = {}
        self.secret_unavailable = keychain_message
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in self.fields:
            value = url if spec.key == "url" else self.original.get(spec.key, spec.default)
            widget = self._widget_for(spec, value, has_secret)
            self.widgets[spec.key] = widget
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            hint = self._hint_for(spec)
            if hint:
                column.addWidget(hint)
            form.addRow(form_label(spec.label + ("" if not spec.required else " *")), box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

    # -- building ------------------------------------------------------------------------------

    def _widget_for(self, spec: ConfigField, value: Any, has_secret: bool) -> QWidget:
        if spec.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentIndex(max(0, combo.findText(str(value or spec.default))))
            combo.currentIndexChanged.connect(self.edited)
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000)
            try:
                spin.setValue(int(value or spec.default or 0))
            except (TypeError, ValueError):
                spin.setValue(0)
            spin.valueChanged.connect(self.edited)
            return spin
        line = QLineEdit()
        if spec.kind == "secret":
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText(SECRET_KEPT if has_secret else spec.placeholder)
            if self.secret_unavailable is not None:
                line.setEnabled(False)
                line.setPlaceholderText("No keychain available")
        else:
            if isinstance(value, list | tuple):
                value = ", ".join(str(v) for v in value)
            line.setText("" if value is None else str(value))
            line.setPlaceholderText(spec.placeholder)
        line.textChanged.connect(self.edited)
        return line

    def _hint_for(self, spec: ConfigField) -> QLabel | None:
        text = spec.help
        if spec.kind == "secret" and self.secret_unavailable is not None:
            text = (
                f"{self.secret_unavailable} This field is disabled: the secret would have "
                "nowhere safe to go."
            )
        if not text:
            return None
        label = QLabel(text)
        label.setObjectName("secretUnavailable" if spec.kind == "secret" and
                            self.secret_unavailable is not None else "hint")  # fmt: skip
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("color: palette(placeholder-text); font-size: 9pt;")
        return label

    # -- reading -------------------------------------------------------------------------------

    def widget(self, key: str) -> QWidget:
        return self.widgets[key]

    def set_value(self, key: str, text: str) -> None:
        widget = self.widgets.get(key)
        if isinstance(widget, QLineEdit):
            widget.setText(text)

    def values(self) -> dict[str, str]:
        """Every field as typed (trimmed), by key; what the connector's ``check`` reads."""
        out: dict[str, str] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentText()
            elif isinstance(widget, QSpinBox):
                out[key] = str(widget.value())
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text() if key == "secret" else widget.text().strip()
        return out

    @property
    def has_secret_field(self) -> bool:
        return any(spec.kind == "secret" for spec in self.fields)

    def url(self) -> str:
        return self.values().get("url", "")

    def secret(self) -> str:
        """The secret typed in the form ("" when none was typed: keep the stored one)."""
        for spec in self.fields:
            if spec.kind == "secret":
                return self.values().get(spec.key, "")
        return ""

    def config(self) -> dict[str, Any]:
        """The ``config`` to store: ints as numbers; a value stored as a list stays a list."""
        config = {k: v for k, v in self.original.items() if k not in self.widgets}
        values = self.values()
        for spec in self.fields:
            if spec.key == "url" or spec.kind == "secret":
                continue
            text = values.get(spec.key, "")
            if spec.kind == "int":
                config[spec.key] = int(text or 0)
            elif isinstance(self.original.get(spec.key), list):
                config[spec.key] = [part.strip() for part in text.split(",") if part.strip()]
            elif text:
                config[spec.key] = text
        return config

    def missing(self) -> list[str]:
        """Labels of required fields left empty (a kept secret counts as filled)."""
        values = self.values()
        out = []
        for spec in self.fields:
            if not spec.required or values.get(spec.key):
                continue
            widget = self.widgets[spec.key]
            if spec.kind == "secret" and (
                not widget.isEnabled()
                or (isinstance(widget, QLineEdit) and widget.placeholderText() == SECRET_KEPT)
            ):
                continue
            out.append(spec.label)
        return out
