"""What the dock says after a download when products are on tape: the instructions, and one button that opens the
service's portal and copies the product names (to paste into its search)."""
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QApplication, QPushButton

from ..core.pipeline import TAPE_LIST_NAME
from ..core.providers.base import recall_text
from ..qgis.i18n import tr


def tape_notice_text(recall, count, folder):
    listed = TAPE_LIST_NAME.format(service=recall.service)
    return tr("{instructions} The names are also in {listed} in {folder}.", instructions=recall.instructions(count),
              listed=listed, folder=folder)


def open_portal_and_copy(recall, titles):
    QApplication.clipboard().setText("\n".join(titles))
    QDesktopServices.openUrl(QUrl(recall.portal_url))


def push_tape_notice(bar, level, recall, titles, folder):
    """A message-bar item with the instructions and the button; returns the button (tests click it)."""
    item = bar.createMessage(tape_notice_text(recall, len(titles), folder))
    # short: the dock is narrow, the text needs the room
    button = QPushButton(tr("Open the {place}", place=recall_text(recall.place)), item)
    button.setToolTip(tr("Opens the {service} {place} in your browser and copies the product names (paste them into "
                         "its search).", service=recall.service, place=recall_text(recall.place)))
    button.setObjectName("tapeNoticeButton")
    button.clicked.connect(lambda: open_portal_and_copy(recall, list(titles)))
    item.layout().addWidget(button)
    bar.pushWidget(item, level, 0)   # stays until closed: the user has to act on it
    return button
