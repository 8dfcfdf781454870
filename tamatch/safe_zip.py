"""Refuse Office files (ZIP archives) that would unpack into a bomb, before anything reads them."""

import zipfile

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # 100 MB
MAX_RATIO = 200  # a member may not unpack to more than 200 times its compressed size


class UnsafeArchive(ValueError):
    """The archive is encrypted, too large once unpacked, or built to exhaust memory.

    `kind` says which: "members", "size", "encrypted", "method" or "ratio".
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def check_archive(archive: zipfile.ZipFile) -> None:
    """Raise UnsafeArchive unless every member is plain, small and reasonably compressed.

    Reads only the central directory: nothing is decompressed.
    """
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if len(infos) > MAX_MEMBERS or len(set(names)) != len(names):
        raise UnsafeArchive("members", "too many or duplicated members")
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise UnsafeArchive("size", "it unpacks to more than 100 MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeArchive("encrypted", "encrypted members")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeArchive("method", "an unusual compression method")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1_000_000:
            raise UnsafeArchive("ratio", "a member compressed suspiciously well (a zip bomb)")
