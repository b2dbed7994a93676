/** The school year a team is most likely planning: the one under way, starting in July. */
export const SCHOOL_YEAR_START_MONTH = 7;

export function currentSchoolYear(now: Date = new Date(), startMonth = SCHOOL_YEAR_START_MONTH): string {
  const year = now.getFullYear();
  const first = now.getMonth() + 1 >= startMonth ? year : year - 1;
  return `${first}-${first + 1}`;
}
