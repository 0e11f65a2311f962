"""Put the map's JavaScript/CSS (Leaflet and friends) in `static/vendor/` so maps work offline.

folium loads Leaflet, jQuery, Bootstrap, awesome-markers, Font Awesome and MarkerCluster from public
CDNs; on an intranet the map stays blank. This module takes the exact files from the npm packages
(`npm pack`, or `<name>-<version>.tgz` files in the folder named by `GEO_ASSETS_MIRROR`), checks each
file's sha256 and writes it under `static/vendor/`, which Streamlit serves at `/app/static/vendor/`.

Run `python -m geo.maps.assets` (idempotent; `--check` only reports). `geo.maps.folium_maps.use_local_assets`
points folium at these files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import UserFacingError
from geo.paths import REPO_ROOT


@dataclass(frozen=True)
class VendorFile:
    """One file taken from an npm package: `source` inside the tarball, `target` under the vendor dir."""

    package: str
    version: str
    source: str
    target: str
    sha256: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"

    @property
    def tarball_name(self) -> str:
        """File name `npm pack` gives the package (scope folded in: `@a/b` -> `a-b-1.0.tgz`)."""
        return f"{self.package.lstrip('@').replace('/', '-')}-{self.version}.tgz"


def _files(package: str, version: str, items: Iterable[tuple[str, str, str]]) -> list[VendorFile]:
    return [VendorFile(package, version, src, dst, sha) for src, dst, sha in items]


# Leaflet 1.9.3 and jQuery/Bootstrap versions are the ones folium's `Map.default_js` names; awesome-markers
# 2.0.2 is not on npm (2.0.5 is the same API); MarkerCluster 1.5.3 is the Leaflet-1.9 compatible release.
# Font Awesome: only the woff2 fonts (every supported browser takes woff2 before the ttf fallback).
FILES: tuple[VendorFile, ...] = tuple(
    _files(
        "leaflet",
        "1.9.3",
        [
            (
                "dist/leaflet.js",
                "leaflet/leaflet.js",
                "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
            ),
            (
                "dist/leaflet.css",
                "leaflet/leaflet.css",
                "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
            ),
            (
                "dist/images/layers.png",
                "leaflet/images/layers.png",
                "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
            ),
            (
                "dist/images/layers-2x.png",
                "leaflet/images/layers-2x.png",
                "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
            ),
            (
                "dist/images/marker-icon.png",
                "leaflet/images/marker-icon.png",
                "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
            ),
            (
                "dist/images/marker-icon-2x.png",
                "leaflet/images/marker-icon-2x.png",
                "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
            ),
            (
                "dist/images/marker-shadow.png",
                "leaflet/images/marker-shadow.png",
                "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
            ),
        ],
    )
    + _files(
        "jquery",
        "3.7.1",
        [
            (
                "dist/jquery.min.js",
                "jquery/jquery.min.js",
                "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a",
            )
        ],
    )
    + _files(
        "bootstrap",
        "5.2.2",
        [
            (
                "dist/js/bootstrap.bundle.min.js",
                "bootstrap/bootstrap.bundle.min.js",
                "c4b2394a30fa0e4a23c6b308541353e20872a6fd765ed8fb70e6b402029deb00",
            ),
            (
                "dist/css/bootstrap.min.css",
                "bootstrap/bootstrap.min.css",
                "2143941c03dacda8b4f1016ced6e0c6f34e5c04585a3bcffe33c3c626c448a4a",
            ),
        ],
    )
    + _files(
        "leaflet.awesome-markers",
        "2.0.5",
        [
            (
                "dist/leaflet.awesome-markers.min.js",
                "awesome-markers/leaflet.awesome-markers.min.js",
                "22a8914795f542d01d72ae651b8bc1075fd6c70ad10a49239e8e297ef5b26a0d",
            ),
            (
                "dist/leaflet.awesome-markers.css",
                "awesome-markers/leaflet.awesome-markers.css",
                "bfba947d37a17ffa470a27a764affd7115cc747bae47e5ac24386feb5e99321c",
            ),
            (
                "dist/images/markers-soft.png",
                "awesome-markers/images/markers-soft.png",
                "e41bc4be3d9cc8fcda26990db42fde1990230d352bc5f6f614fe89e163fb4edb",
            ),
            (
                "dist/images/markers-soft@2x.png",
                "awesome-markers/images/markers-soft@2x.png",
                "d6926e36feb2224311ab88e08dd7c0eebdbe34a64b45ee09a8bc38ecab0cd5ee",
            ),
            (
                "dist/images/markers-shadow.png",
                "awesome-markers/images/markers-shadow.png",
                "8703a2262710f5e3d29e65d2acdf90d6512e159e119d27b8234731d8a6208a20",
            ),
            (
                "dist/images/markers-shadow@2x.png",
                "awesome-markers/images/markers-shadow@2x.png",
                "b21a536be27313fb504f69f5899ff0b1245b276571769ac08d6c32c35676e47a",
            ),
        ],
    )
    + _files(
        "@fortawesome/fontawesome-free",
        "6.2.0",
        [
            (
                "css/all.min.css",
                "fontawesome/css/all.min.css",
                "01b035efb5dfa529c512f82962ed633328222da6f33c224244806d4798c67349",
            ),
            (
                "webfonts/fa-brands-400.woff2",
                "fontawesome/webfonts/fa-brands-400.woff2",
                "3fe890d088ecf0cc9bc1b9069201e52972dbad6237865524090e15982d0de718",
            ),
            (
                "webfonts/fa-regular-400.woff2",
                "fontawesome/webfonts/fa-regular-400.woff2",
                "fe69d94841462d397faeff253ee09a6dc7941be931f942a55e6b9def8f3b048d",
            ),
            (
                "webfonts/fa-solid-900.woff2",
                "fontawesome/webfonts/fa-solid-900.woff2",
                "d27bc752105c079f8a516e9142406a9fc12cbb409f9bf8681f2ddfe0360b52a6",
            ),
            (
                "webfonts/fa-v4compatibility.woff2",
                "fontawesome/webfonts/fa-v4compatibility.woff2",
                "7d1c2ce5f34e1b3567536e8d3039c6c34f8257742982c5ff5a5b47a82e5a67d7",
            ),
        ],
    )
    + _files(
        "leaflet.markercluster",
        "1.5.3",
        [
            (
                "dist/leaflet.markercluster.js",
                "markercluster/leaflet.markercluster.js",
                "1e4e1d22972a3926f48598e0caf14e3fe7049835d428a344fed4f9e3665b3508",
            ),
            (
                "dist/MarkerCluster.css",
                "markercluster/MarkerCluster.css",
                "614dea0a98ff3f4ead74f04918f6b1d1b9ba435c25b5fc23b21a394d1e3e4d87",
            ),
            (
                "dist/MarkerCluster.Default.css",
                "markercluster/MarkerCluster.Default.css",
                "61258232d98d64dc2a7b1e02130d67421bc5b9bda5994eef70228ff97570c170",
            ),
        ],
    )
    + _files(
        "leaflet.fullscreen",
        "3.0.0",
        [
            (
                "Control.FullScreen.js",
                "fullscreen/Control.FullScreen.js",
                "3c542b5d5844cc00cff2787dff49504a31f3bed9de3161e5b26e0c0437d6bbb7",
            ),
            (
                "Control.FullScreen.css",
                "fullscreen/Control.FullScreen.css",
                "31f9593e6e715114e23076ba11628f68a301025b44b85ffb70fca4bc9475214e",
            ),
            (
                "icon-fullscreen.svg",
                "fullscreen/icon-fullscreen.svg",
                "034807095346f7be3b9d5b2add42ba0677af1a89d2f90a0caa5c75ec2780a2a2",
            ),
        ],
    )
)


def vendor_dir() -> Path:
    """Where the files go: `<repo>/static/vendor` (env GEO_ASSETS_DIR overrides)."""
    return Path(os.environ.get("GEO_ASSETS_DIR", REPO_ROOT / "static" / "vendor"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def missing(target_dir: Path | None = None) -> list[VendorFile]:
    """Files absent from `target_dir` or with the wrong checksum."""
    root = target_dir or vendor_dir()
    return [f for f in FILES if not (root / f.target).is_file() or _sha256(root / f.target) != f.sha256]


def is_installed(target_dir: Path | None = None) -> bool:
    """Quick check (no checksums) that every vendor file is present."""
    root = target_dir or vendor_dir()
    return all((root / f.target).is_file() for f in FILES)


def _tarball(spec_file: VendorFile, workdir: Path, mirror: Path | None) -> Path:
    """Path of the package tarball: from the mirror folder if it has it, else from `npm pack`."""
    if mirror is not None and (mirror / spec_file.tarball_name).is_file():
        return mirror / spec_file.tarball_name
    npm = shutil.which("npm")
    if npm is None:
        raise UserFacingError(
            f"Kan {spec_file.spec} niet ophalen: npm is niet geïnstalleerd. Installeer Node.js/npm of zet "
            f"{spec_file.tarball_name} in een map en wijs die aan met GEO_ASSETS_MIRROR."
        )
    proc = subprocess.run(
        [npm, "pack", spec_file.spec, "--json", "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise UserFacingError(
            f"`npm pack {spec_file.spec}` mislukte ({proc.stderr.strip()[:300]}). Controleer de toegang tot "
            f"het npm-register of zet {spec_file.tarball_name} in de map GEO_ASSETS_MIRROR."
        )
    name = json.loads(proc.stdout)[0]["filename"]
    return workdir / name


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def fetch(target_dir: Path | None = None, mirror: Path | None = None) -> list[str]:
    """Write every missing or changed vendor file; return the targets written (empty when all present)."""
    root = target_dir or vendor_dir()
    if mirror is None and os.environ.get("GEO_ASSETS_MIRROR"):
        mirror = Path(os.environ["GEO_ASSETS_MIRROR"])
    todo = missing(root)
    written: list[str] = []
    by_package: dict[str, list[VendorFile]] = {}
    for f in todo:
        by_package.setdefault(f.spec, []).append(f)
    with tempfile.TemporaryDirectory(prefix="geo-assets-") as tmp:
        for files in by_package.values():
            tarball = _tarball(files[0], Path(tmp), mirror)
            with tarfile.open(tarball, "r:gz") as tar:
                for f in files:
                    try:
                        member = tar.extractfile(f"package/{f.source}")
                    except KeyError:
                        member = None
                    if member is None:
                        raise UserFacingError(f"{tarball.name} bevat {f.source} niet.")
                    data = member.read()
                    digest = hashlib.sha256(data).hexdigest()
                    if digest != f.sha256:
                        raise UserFacingError(
                            f"Controlesom klopt niet voor {f.source} uit {f.spec}: "
                            f"{digest} i.p.v. {f.sha256}."
                        )
                    _write_atomic(root / f.target, data)
                    written.append(f.target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo.maps.assets", description="Kaartbibliotheken lokaal zetten."
    )
    parser.add_argument("--check", action="store_true", help="enkel controleren, niets ophalen")
    args = parser.parse_args(argv)
    root = vendor_dir()
    if args.check:
        absent = missing(root)
        for f in absent:
            print(f"ontbreekt of gewijzigd: {f.target} ({f.spec})")
        print(f"{len(FILES) - len(absent)}/{len(FILES)} kaartbestanden aanwezig in {root}")
        return 1 if absent else 0
    try:
        written = fetch(root)
    except UserFacingError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} kaartbestanden geschreven, {len(FILES)} aanwezig in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
