"""the interface language each account chose (user_account.locale)

NULL means the browser's preference decides; the check keeps it to the six UN languages.

Revision ID: 5b1e0c7a9d21
Revises: 26219004e1f1
Create Date: 2026-12-02 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7a9d21'
down_revision = '26219004e1f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_user_account_ui_locale'), "locale IS NULL OR locale IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')"
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_ui_locale'), type_='check')
        batch_op.drop_column('locale')
