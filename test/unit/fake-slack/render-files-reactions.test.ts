import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/fake-slack/fake-slack-types.js';
import { renderMessage } from '../../../src/fake-slack/render-transcript.js';

const base: FakeMessage = {
  type: 'message',
  ts: '1732500000.000100',
  text: '',
  user: 'U0FBBOT001',
  team: 'T0FBTEAM01',
  blocks: [],
  replies: [],
};
const file = {
  id: 'F1',
  name: 'restart.log',
  title: 'Restart output',
  mimetype: 'text/plain',
  filetype: 'text',
  size: 3,
  user: 'U0FBBOT001',
};

describe('renderMessage with files and reactions', () => {
  it('lists shared files under the comment, and the reactions below', () => {
    const message: FakeMessage = {
      ...base,
      text: 'Full output',
      files: [file, { ...file, id: 'F2', name: 'b.txt', title: 'b.txt' }],
      reactions: [
        { name: 'eyes', users: ['U1', 'U2'], count: 2 },
        { name: 'white_check_mark', users: ['U1'], count: 1 },
      ],
    };
    expect(renderMessage(message, { userNames: { U0FBBOT001: 'firebreak' } })).toBe(
      [
        '02:00:00 @firebreak',
        '  Full output',
        '  📎 restart.log — Restart output',
        '  📎 b.txt',
        '  :eyes: 2  :white_check_mark: 1',
      ].join('\n'),
    );
  });

  it('shows a file shared without a comment without an empty line', () => {
    expect(
      renderMessage({ ...base, files: [file] })
        .split('\n')
        .slice(1),
    ).toEqual(['  📎 restart.log — Restart output']);
  });
});
