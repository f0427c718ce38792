# Sourced by the scripts: find the shared reference data (settings.SHARED_DATA_DIR is $ONEX_SHARED_DIR/data).
# ../shared beside the checkout is the rule; /work/shared is the workplace's copy for clones elsewhere.
if [[ -z "${ONEX_SHARED_DIR:-}" ]]; then
    for _dir in "$PWD/../shared" /work/shared; do
        if [[ -d "$_dir/data" ]]; then
            ONEX_SHARED_DIR=$(cd "$_dir" && pwd)
            export ONEX_SHARED_DIR
            break
        fi
    done
    unset _dir
fi
if [[ -z "${ONEX_SHARED_DIR:-}" || ! -d "$ONEX_SHARED_DIR/data" ]]; then
    echo "$(basename "$0"): ERROR: the shared reference data is missing: put the shared folder beside this" \
        "checkout (../shared/data) or set ONEX_SHARED_DIR to it" >&2
    exit 1
fi
