"""What the dock says after a download when products are on tape: the instructions, and one button that opens the
service's portal and copies the product names (to paste into its search)."""
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QApplication, QPushButton

from ..core.pipeline import TAPE_LIST_NAME


def tape_notice_text(recall, count, folder):
    listed = TAPE_LIST_NAME.format(service=recall.service)
    return f"{recall.instructions(count)} The names are also in {listed} in {folder}."


def open_portal_and_copy(recall, titles):
    QApplication.clipboard().setText("\n".join(titles))
    QDesktopServices.openUrl(QUrl(recall.portal_url))


def push_tape_notice(bar, level, recall, titles, folder):
    """A message-bar item with the instructions and the button; returns the button (tests click it)."""
    item = bar.createMessage(tape_notice_text(recall, len(titles), folder))
    button = QPushButton(f"Open the {recall.place}", item)   # short: the dock is narrow, the text needs the room
    button.setToolTip(f"Opens the {recall.service} {recall.place} in your browser and copies the product names "
                      "(paste them into its search).")
    button.setObjectName("tapeNoticeButton")
    button.clicked.connect(lambda: open_portal_and_copy(recall, list(titles)))
    item.layout().addWidget(button)
    bar.pushWidget(item, level, 0)   # stays until closed: the user has to act on it
    return button
