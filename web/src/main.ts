import { AtelierClient } from '../../client/src';
import { LocalSessionStore } from './api/session-store';
import type { User } from './api/types';
import { describeError } from './ui/describe-error';
import { AccountView } from './views/account-view';
import { AuthView } from './views/auth-view';
import { Gallery } from './views/gallery';
import { ImageDetailView } from './views/image-detail';
import { JobForm } from './views/job-form';
import { JobList } from './views/job-list';
import { Notice } from './views/notice';

/** Wires the views together and swaps the sign-in form and the workspace on sign-in/out. */
const sessions = new LocalSessionStore();
const api = new AtelierClient('', sessions); // '': the API is the page's own origin
const notice = new Notice();
const workspace = document.querySelector<HTMLElement>('#workspace')!;

const auth = new AuthView(api, notice);
const account = new AccountView(api, () => void api.signOut());
const gallery = new Gallery(api, (item) => void detail.open(item));
const detail = new ImageDetailView(api, (imageId) => {
  gallery.remove(imageId);
  notice.info('Image deleted.');
});
const jobs = new JobList(api, notice, (job) => {
  if (job.status === 'succeeded') gallery.addJob(job);
  void account.refresh();
});
const form = new JobForm(api, notice, (job) => {
  jobs.add(job);
  void account.refresh();
});

async function enter(user: User | null): Promise<void> {
  auth.show(!user);
  account.show(!!user);
  workspace.hidden = !user;
  jobs.stop();
  if (!user) return;
  try {
    await Promise.all([account.refresh(), form.load(), jobs.start(), gallery.load()]);
  } catch (error) {
    notice.error(`Could not load your workspace. ${describeError(error)}`);
  }
}

sessions.onChange((user) => void enter(user));
void enter(sessions.current?.user ?? null);
void auth.offerIdentityProvider();
