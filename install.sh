#!/usr/bin/env bash
# Herald installer: installs dependencies, builds, writes the site config with fresh secrets,
# migrates the database, creates the first admin operator and starts the appliance through the
# watchdog in the foreground on the embedded SQLite database. Safe to run again: config, data and
# operators are kept.
#
#   ./install.sh              install, then run `herald start` in the foreground (Ctrl-C stops)
#   ./install.sh --no-start   install only
#   ./install.sh --systemd    install, then install and start a systemd service running the watchdog (needs root)
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
start=yes
systemd=no
for arg in "$@"; do
  case "$arg" in
    --no-start) start=no ;;
    --systemd) systemd=yes; start=no ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; usage >&2; exit 64 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
as_root() { [ "$(id -u)" -eq 0 ]; }

# 1. Node.js 20.19+ (or 22.12+), npm and a C/C++ toolchain (the SQLite driver is compiled here).
say "checking Node.js"
if ! command -v node >/dev/null 2>&1; then
  die "Node.js is not installed. Install Node.js 20.19 or later (e.g. 'apt-get install nodejs' on Debian 13, or https://nodejs.org), then run ./install.sh again."
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
  die "Node.js $(node -v) is too old: Herald needs 20.19+ or 22.12+ (https://nodejs.org)."
fi
command -v npm >/dev/null 2>&1 || die "npm is missing: install the npm package that goes with Node.js $(node -v)."
missing=()
for tool in python3 make g++; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if as_root && command -v apt-get >/dev/null 2>&1; then
    say "installing build tools: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make g++ >/dev/null
  else
    die "missing build tools: ${missing[*]} (needed to compile the SQLite driver); install them and run ./install.sh again."
  fi
fi

# 2. Dependencies, pinned by package-lock.json (skipped when already installed from the same lock file).
stamp=node_modules/.herald-lock-sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  say "dependencies up to date"
else
  say "installing dependencies (npm ci; the SQLite driver compiles in about 2 minutes)"
  npm_config_nodedir="${npm_config_nodedir:-/usr}" npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# 3. Build.
say "building"
rm -rf dist
npm run -s build

herald() { node "$root/dist/server/cli/main.js" "$@"; }

# 4. Site config with generated secrets (written once, mode 600), data directory, database.
say "configuring"
herald config init
herald config check
say "migrating the database"
herald db migrate

# 5. The first admin operator (its one-time password is printed once).
say "creating the first admin operator"
herald operator add admin --rights admin --name "Administrator" --first

# 6. The herald command on the PATH.
if as_root; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
mkdir -p "$bindir"
ln -sf "$root/scripts/herald" "$bindir/herald"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: add $bindir to your PATH to use the herald command" ;; esac

# 7. systemd service or foreground start.
if [ "$systemd" = yes ]; then
  as_root || die "--systemd needs root (it writes /etc/systemd/system/herald.service)"
  command -v systemctl >/dev/null 2>&1 || die "--systemd: systemctl not found"
  user=root
  if id herald >/dev/null 2>&1 || useradd --system --home-dir "$root/var" --shell /usr/sbin/nologin herald 2>/dev/null; then
    if su -s /bin/sh herald -c "test -r '$root/package.json' && test -x '$root/dist'" 2>/dev/null; then
      user=herald
      mkdir -p "$root/var"
      chown -R herald: "$root/var" "$root/config/herald.toml"
    else
      echo "note: user 'herald' cannot read $root; the service runs as root (move Herald to e.g. /opt/herald to run it unprivileged)"
    fi
  fi
  sed -e "s#@ROOT@#$root#g" -e "s#@USER@#$user#g" -e "s#@NODE@#$(command -v node)#g" scripts/herald.service > /etc/systemd/system/herald.service
  systemctl daemon-reload
  systemctl enable --now herald.service
  say "Herald runs as the systemd service 'herald' (systemctl status herald, herald status; logs in $root/var/log)"
elif [ "$start" = yes ]; then
  say "starting Herald: the watchdog runs every module in the foreground (Ctrl-C stops it; herald status shows them)"
  exec node "$root/dist/server/cli/main.js" start
else
  say "installed; start it with: herald start (or herald start --daemon)"
fi
