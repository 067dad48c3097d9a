"""Translatable text for code that must not import Qt (plugin/core): a marker, not a translator.

`tr("The key for {service} is wrong.", service="GEODES")` returns a Message: a str holding the English sentence
(so logs, str(error) and tests read English, as before), which also remembers its template and values. The Qt
side (plugin/qgis/i18n.py: localize) looks the template up in the plugin's translation with
QCoreApplication.translate and formats the translated template with the same values, so the user reads it in
QGIS's language. pylupdate5 extracts every `tr("...")` literal, this one and the Qt one alike, into
i18n/sentinel_mirror_fr.ts (make i18n).

Why a marker and not Qt here: plugin/core stays pure Python (qgis_process, tests and the check-live script use
it without Qt), and an error is raised on a worker thread long before anyone knows who will read it; the adapter
that shows it (message bar, Processing log, task description) is the one place that knows the language.

Rules for templates: a string literal (never an f-string: the extractor would record the unformatted text),
named {placeholders} (a translation may reorder them), literal braces doubled when there are values.
"""


class Message(str):
    """English text formatted from `template` and `values`; str(message) keeps the template (see __str__)."""

    def __new__(cls, template, values=None):
        values = dict(values or {})
        message = super().__new__(cls, template.format(**values) if values else template)
        message.template, message.values = template, values
        return message

    def __str__(self):
        # str(exception) hands back its argument through str(): returning self keeps the template for the
        # adapter that translates it (a plain str() would strip it to bare English)
        return self

    def __reduce__(self):
        return Message, (self.template, self.values)

    def with_values(self, convert):
        """The same template with every value passed through `convert` (e.g. secrets masked)."""
        message = Message(self.template, {k: convert(v) for k, v in self.values.items()})
        if getattr(self, "strip_chars", None):
            message = message.rstrip(self.strip_chars)
        return message

    def rstrip(self, chars=None):
        """The English text stripped; the translation is stripped of the same characters once formatted."""
        stripped = str.__new__(Message, str.rstrip(self, chars))
        stripped.template, stripped.values, stripped.strip_chars = self.template, self.values, chars or " \t\n"
        return stripped


def join(separator, items):
    """The items (Messages or plain text) joined by `separator`, each item still translatable."""
    items = list(items)
    values = {f"part{i}": item for i, item in enumerate(items)}
    return Message(separator.replace("{", "{{").replace("}", "}}").join("{part%d}" % i for i in range(len(items))),
                   values)


def tr(template, **values):
    """Mark an English template for translation; returns it formatted with `values` (a Message)."""
    return Message(template, values)


# The same marker under the name Qt-side modules use for text kept in a constant and translated where it is shown
# (localize): there `tr` is the translate-now function of plugin/qgis/i18n.py.
tr_noop = tr
