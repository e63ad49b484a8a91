import { useState } from 'react';

/** A value shown in full with a button that copies it. */
export const CopyText = ({ label, value, testId }: { label: string; value: string; testId?: string }) => {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="copy">
      <span className="label">{label}</span>
      <code data-testid={testId}>{value}</code>
      <button type="button" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
};
