/**
 * The platform of a pull or run (`--platform`): free text with the common ones offered. Empty means the
 * engine's own. The app checks the text and names the format when it is not one.
 */
import { useId } from 'react';

const COMMON_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

export function PlatformField({
  value,
  onChange,
  readOnly = false,
}: {
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
}) {
  const listId = useId();
  return (
    <label>
      <span>Platform</span>
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder="(the engine's own) e.g. linux/arm64"
        list={listId}
        autoComplete="off"
        spellCheck={false}
        readOnly={readOnly}
      />
      <datalist id={listId}>
        {COMMON_PLATFORMS.map((platform) => (
          <option key={platform} value={platform} />
        ))}
      </datalist>
    </label>
  );
}
