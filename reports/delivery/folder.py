"""A folder target: a desk's shared folder, or a web server's. Copies appear whole or not at all."""

from __future__ import annotations

from reports.delivery.parcel import DeliveryError, Parcel
from reports.delivery.targets import FolderTarget
from reports.files import WriteError, write_atomically


def copy_to_folder(target: FolderTarget, parcel: Parcel) -> None:
    """Every document to `PATH/{dossier id}/{file name}`, each replaced atomically, all written before any is
    renamed into place. The folder itself must exist: a missing one (an unmounted share) is a failure, never a new
    empty folder that nobody reads."""
    if not target.path.is_dir():
        raise DeliveryError(f"{target.path}: is not a folder (create it, or mount the share)")
    try:
        contents = {target.path / parcel.dossier_id / item.path.name: item.path.read_bytes() for item in parcel.items}
        write_atomically(contents)
    except WriteError as error:
        raise DeliveryError(str(error)) from None
    except OSError as error:
        raise DeliveryError(f"{error.filename}: read: {error.strerror or error}") from None
